package dev.routerstudio.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonTypeName;

/** WAN by L2TP: a DHCP lease on the WAN device as the underlay, then xl2tpd + pppd to the LNS. */
@JsonTypeName("l2tp")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record L2tpWan(
        @FormField(label = "LNS server", required = true, maxLength = 253, placeholder = "203.0.113.1 or lns.isp.example",
                hint = "The tunnel runs over a DHCP lease on the WAN device.") String server,
        @FormField(label = "Username", required = true, maxLength = 255, placeholder = "user@isp") String username,
        @FormField(label = "Password", kind = "password", maxLength = 255) String password) implements WanSpec, PppLogin {

    @Override
    public void validate(WanChecks c) {
        c.hostOrIpv4("server", server);
        c.credential("username", username, true);
        c.credential("password", password, c.passwordRequired());
    }

    @Override
    public L2tpWan normalized() {
        return new L2tpWan(WanChecks.blankToNull(server), WanChecks.blankToNull(username), WanChecks.blankToNull(password));
    }

    @Override
    public L2tpWan withPassword(String newPassword) {
        return new L2tpWan(server, username, newPassword);
    }
}
