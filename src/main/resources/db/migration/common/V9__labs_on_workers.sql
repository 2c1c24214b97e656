-- Labs on workers: a node that runs labs for others says where it answers (url) and how many
-- labs it runs; a lab started through one node on another is found again through lab_placement.
ALTER TABLE worker_node ADD COLUMN url VARCHAR(255);
ALTER TABLE worker_node ADD COLUMN labs_running INT DEFAULT 0 NOT NULL;

CREATE TABLE lab_placement (
    lab_id      VARCHAR(16)  PRIMARY KEY,
    node        VARCHAR(63)  NOT NULL,
    build_id    VARCHAR(64)  NOT NULL,
    started_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
