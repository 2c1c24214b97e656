-- Who asked for a build (for per-user queue limits) and whether it is kept past retention.
ALTER TABLE build ADD COLUMN requested_by VARCHAR(64);
ALTER TABLE build ADD COLUMN pinned BOOLEAN DEFAULT FALSE NOT NULL;
CREATE INDEX ix_build_requester ON build (requested_by, status);
