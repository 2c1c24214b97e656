package dev.routerstudio.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonTypeName;

import java.util.Map;

/** WAN by PPPoE: pppd with the PPPoE plugin on the WAN device, logging in with CHAP or PAP. */
@JsonTypeName("pppoe")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PppoeWan(
        @FormField(label = "Username", required = true, maxLength = 255, placeholder = "user@isp") String username,
        @FormField(label = "Password", kind = "password", maxLength = 255) String password,
        @FormField(label = "Service name", advanced = true, maxLength = 255) String serviceName,
        @FormField(label = "Access concentrator", advanced = true, maxLength = 255) String acName,
        @FormField(label = "MTU", kind = "number", advanced = true, min = 576, max = 9000, placeholder = "1492") Integer mtu,
        @FormField(label = "MRU", kind = "number", advanced = true, min = 576, max = 9000, placeholder = "1492") Integer mru,
        @FormField(label = "LCP echo interval (s)", kind = "number", advanced = true, min = 1, max = 3600, placeholder = "10")
        Integer lcpEchoInterval,
        @FormField(label = "LCP echo failures", kind = "number", advanced = true, min = 1, max = 100, placeholder = "3")
        Integer lcpEchoFailure) implements WanSpec, PppLogin {

    public static final int DEFAULT_LCP_ECHO_INTERVAL = 10;
    public static final int DEFAULT_LCP_ECHO_FAILURE = 3;

    @Override
    public void validate(WanChecks c) {
        c.credential("username", username, true);
        c.credential("password", password, c.passwordRequired());
        c.optionalText("serviceName", serviceName);
        c.optionalText("acName", acName);
        c.mtu("mtu", mtu);
        c.mtu("mru", mru);
        c.range("lcpEchoInterval", lcpEchoInterval, 1, 3600, "seconds");
        c.range("lcpEchoFailure", lcpEchoFailure, 1, 100, "missed echoes");
    }

    @Override
    public PppoeWan normalized() {
        return new PppoeWan(WanChecks.blankToNull(username), WanChecks.blankToNull(password), WanChecks.blankToNull(serviceName),
                WanChecks.blankToNull(acName), mtu, mru, lcpEchoInterval, lcpEchoFailure);
    }

    @Override
    public PppoeWan withPassword(String newPassword) {
        return new PppoeWan(username, newPassword, serviceName, acName, mtu, mru, lcpEchoInterval, lcpEchoFailure);
    }

    /** pppd's echo settings with their defaults: the lab and the docs need the effective values. */
    @Override
    public Map<String, String> derivedValues() {
        return Map.of("wan.lcpEchoInterval.effective", Integer.toString(lcpEchoInterval != null ? lcpEchoInterval : DEFAULT_LCP_ECHO_INTERVAL),
                "wan.lcpEchoFailure.effective", Integer.toString(lcpEchoFailure != null ? lcpEchoFailure : DEFAULT_LCP_ECHO_FAILURE));
    }
}
