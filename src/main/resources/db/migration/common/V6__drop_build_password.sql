-- Builds no longer keep the WAN password: a lab reads the credentials from the bundle's lab.json,
-- as the firmware carries them. Sealed copies left from earlier builds are dropped with the column.
ALTER TABLE build DROP COLUMN wan_password;
