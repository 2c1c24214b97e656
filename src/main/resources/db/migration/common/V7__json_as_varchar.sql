-- JSON documents as plain character columns on every database: H2 had them as CLOB, which
-- Hibernate maps to PostgreSQL's large objects (oid) rather than text. VARCHAR without a length
-- is unbounded on PostgreSQL and up to 1,000,000,000 characters on H2; the data is kept.
ALTER TABLE profile ALTER COLUMN spec_json SET DATA TYPE VARCHAR;
ALTER TABLE build ALTER COLUMN spec_json SET DATA TYPE VARCHAR;
ALTER TABLE build ALTER COLUMN result_json SET DATA TYPE VARCHAR;
