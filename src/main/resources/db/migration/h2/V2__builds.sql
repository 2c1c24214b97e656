-- The build queue and its history. The queue lives here, so nothing is lost on restart.
CREATE TABLE build (
    id               BIGINT AUTO_INCREMENT PRIMARY KEY,
    profile_name     VARCHAR(63)  NOT NULL,
    profile_version  BIGINT       NOT NULL,
    status           VARCHAR(16)  NOT NULL,
    stage            VARCHAR(32),
    error            VARCHAR(2000),
    spec_json        CLOB         NOT NULL,
    spec_hash        VARCHAR(64),
    result_json      CLOB,
    artifacts_build  BIGINT,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at       TIMESTAMP WITH TIME ZONE,
    finished_at      TIMESTAMP WITH TIME ZONE
);
CREATE INDEX ix_build_profile ON build (profile_name, id);
CREATE INDEX ix_build_status ON build (status, id);
CREATE INDEX ix_build_hash ON build (spec_hash, status);
