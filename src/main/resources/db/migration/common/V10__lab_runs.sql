-- Each lab's verdict, kept after the lab stops: a build's page lists its past labs, and verify
-- answers from it. The evidence (consoles, checks, manifest) is in DATA/evidence/LAB_ID.
CREATE TABLE lab_run (
    lab_id         VARCHAR(16)  PRIMARY KEY,
    build_id       VARCHAR(64)  NOT NULL,
    wan_mode       VARCHAR(32)  NOT NULL,
    worker         VARCHAR(63),
    started_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    verdict        VARCHAR(16)  NOT NULL,
    checks_passed  INT          NOT NULL,
    checks_failed  INT          NOT NULL,
    checks_skipped INT          NOT NULL
);
CREATE INDEX lab_run_build ON lab_run (build_id, started_at);
