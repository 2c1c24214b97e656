-- More than one node: workers claim queued builds, say they are alive, and take over the builds
-- of a worker that stopped saying so.
ALTER TABLE build ADD COLUMN worker VARCHAR(63);
ALTER TABLE build ADD COLUMN heartbeat_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE build ADD COLUMN cancel_requested BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE build ADD COLUMN attempt INT DEFAULT 1 NOT NULL;

CREATE TABLE worker_node (
    name            VARCHAR(63)  PRIMARY KEY,
    role            VARCHAR(16)  NOT NULL,
    build_slots     INT          NOT NULL,
    lab_slots       INT          NOT NULL,
    builds_running  INT          NOT NULL,
    started_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    heartbeat_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
