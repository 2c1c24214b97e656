package dev.routerstudio.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * A router as the user describes it: the document the API takes, the form edits and the
 * pipeline builds. Field order here is the canonical export order.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "description", "hostname", "target", "interfaces", "wan", "packages", "services", "files"})
public record ProfileSpec(
        String name,
        String description,
        String hostname,
        String target,
        Interfaces interfaces,
        WanSpec wan,
        List<String> packages,
        List<String> services,
        List<FileSpec> files) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"wan", "lan"})
    public record Interfaces(WanInterface wan, LanInterface lan) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"device", "mtu"})
    public record WanInterface(String device, Integer mtu) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"device", "address", "mtu", "dhcpRange"})
    public record LanInterface(String device, String address, Integer mtu, DhcpRange dhcpRange) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"start", "end"})
    public record DhcpRange(String start, String end) {
    }

    /**
     * How the WAN connects. One flat shape for all modes: each mode uses its own fields and the
     * validator rejects fields a mode does not use, so a typo never silently does nothing.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"mode", "server", "username", "password", "serviceName", "acName", "mtu", "mru",
            "lcpEchoInterval", "lcpEchoFailure", "address", "gateway", "dns"})
    public record WanSpec(
            String mode,
            String server,
            String username,
            String password,
            String serviceName,
            String acName,
            Integer mtu,
            Integer mru,
            Integer lcpEchoInterval,
            Integer lcpEchoFailure,
            String address,
            String gateway,
            List<String> dns) {

        public WanSpec withPassword(String newPassword) {
            return new WanSpec(mode, server, username, newPassword, serviceName, acName, mtu, mru,
                    lcpEchoInterval, lcpEchoFailure, address, gateway, dns);
        }

        public WanMode wanMode() {
            return WanMode.fromId(mode);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"path", "mode", "content"})
    public record FileSpec(String path, String mode, String content) {
    }

    public ProfileSpec withName(String newName) {
        return new ProfileSpec(newName, description, hostname, target, interfaces, wan, packages, services, files);
    }

    public ProfileSpec withWan(WanSpec newWan) {
        return new ProfileSpec(name, description, hostname, target, interfaces, newWan, packages, services, files);
    }

    /** The spec as it may leave the studio: secrets removed. */
    public ProfileSpec withoutSecrets() {
        return wan == null ? this : withWan(wan.withPassword(null));
    }

    public String wanPassword() {
        return wan == null ? null : wan.password();
    }
}
