package dev.routerstudio.profile;

import com.fasterxml.jackson.annotation.JsonTypeName;

/** WAN by DHCP: the WAN device asks the ISP for an address, route and DNS. Nothing to set. */
@JsonTypeName("dhcp")
public record DhcpWan() implements WanSpec {

    @Override
    public void validate(WanChecks checks) {
    }

    @Override
    public WanSpec normalized() {
        return this;
    }
}
