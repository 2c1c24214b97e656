-- The WAN password a firmware was built with (sealed), so a lab's ISP peer accepts exactly that one.
ALTER TABLE build ADD COLUMN wan_password VARCHAR(2048);
