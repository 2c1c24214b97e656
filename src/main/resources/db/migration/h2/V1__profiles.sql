-- One row per router profile. The spec is stored as its canonical JSON without secrets;
-- the WAN password lives in its own column so it can be protected separately.
CREATE TABLE profile (
    id            BIGINT AUTO_INCREMENT PRIMARY KEY,
    name          VARCHAR(63)   NOT NULL,
    version       BIGINT        NOT NULL,
    description   VARCHAR(1000),
    hostname      VARCHAR(253)  NOT NULL,
    wan_mode      VARCHAR(16)   NOT NULL,
    spec_json     CLOB          NOT NULL,
    wan_password  VARCHAR(2048),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT uk_profile_name UNIQUE (name)
);

-- Small facts the studio remembers about itself, e.g. that the example profile was seeded.
CREATE TABLE studio_state (
    state_key     VARCHAR(100)  PRIMARY KEY,
    state_value   VARCHAR(1000) NOT NULL
);
