-- People and scripts that may use the studio. Passwords and tokens are stored only as hashes.
CREATE TABLE account (
    id             BIGINT AUTO_INCREMENT PRIMARY KEY,
    username       VARCHAR(64)  NOT NULL,
    password_hash  VARCHAR(200) NOT NULL,
    role           VARCHAR(16)  NOT NULL,
    enabled        BOOLEAN      NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT uk_account_username UNIQUE (username)
);

CREATE TABLE api_token (
    id             BIGINT AUTO_INCREMENT PRIMARY KEY,
    account_id     BIGINT       NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    name           VARCHAR(64)  NOT NULL,
    token_hash     VARCHAR(64)  NOT NULL,
    token_prefix   VARCHAR(16)  NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    last_used_at   TIMESTAMP WITH TIME ZONE,
    revoked_at     TIMESTAMP WITH TIME ZONE,
    CONSTRAINT uk_api_token_hash UNIQUE (token_hash)
);
