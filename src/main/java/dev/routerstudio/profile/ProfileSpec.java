package dev.routerstudio.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * A router as the user describes it: the document the API takes, the form edits and the
 * pipeline builds. Field order here is the canonical export order.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "description", "hostname", "target", "interfaces", "wan", "ipv6", "packages", "services", "settings", "files", "slim"})
public record ProfileSpec(
        String name,
        String description,
        String hostname,
        String target,
        Interfaces interfaces,
        WanSpec wan,
        Ipv6Settings ipv6,
        List<String> packages,
        List<String> services,
        ServiceSettings settings,
        List<FileSpec> files,
        Boolean slim) {

    /** A profile that says nothing about slim packages (slim rebuilds, the default). */
    public ProfileSpec(String name, String description, String hostname, String target, Interfaces interfaces, WanSpec wan,
                       Ipv6Settings ipv6, List<String> packages, List<String> services, ServiceSettings settings, List<FileSpec> files) {
        this(name, description, hostname, target, interfaces, wan, ipv6, packages, services, settings, files, null);
    }

    /**
     * Whether the image gets the studio's slim rebuilds (image-pipeline/slim/) where a package has
     * a recipe: the default (absent or true); "slim": false asks for Debian's own binaries.
     */
    public boolean slimEnabled() {
        return !Boolean.FALSE.equals(slim);
    }

    public ProfileSpec withSlim(Boolean newSlim) {
        return new ProfileSpec(name, description, hostname, target, interfaces, wan, ipv6, packages, services, settings, files, newSlim);
    }

    /** The target a profile gets when it names none: the one folder under image-pipeline/targets/ today. */
    public static final String DEFAULT_TARGET = "malta-mipsel";

    /** A profile without service settings (most have none), IPv6 on by default. */
    public ProfileSpec(String name, String description, String hostname, String target, Interfaces interfaces, WanSpec wan,
                       List<String> packages, List<String> services, List<FileSpec> files) {
        this(name, description, hostname, target, interfaces, wan, null, packages, services, null, files);
    }

    /** A profile with IPv6 as the default has it (on, no prefix length asked for). */
    public ProfileSpec(String name, String description, String hostname, String target, Interfaces interfaces, WanSpec wan,
                       List<String> packages, List<String> services, ServiceSettings settings, List<FileSpec> files) {
        this(name, description, hostname, target, interfaces, wan, null, packages, services, settings, files);
    }

    /** Whether the profile has IPv6 on: the default when it says nothing. */
    public boolean ipv6Enabled() {
        return ipv6 == null || ipv6.on();
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"wan", "lan"})
    public record Interfaces(WanInterface wan, LanInterface lan) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"device", "mtu", "vlan"})
    public record WanInterface(String device, Integer mtu, Integer vlan) {
        public WanInterface(String device, Integer mtu) {
            this(device, mtu, null);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"device", "address", "mtu", "dhcpRange"})
    public record LanInterface(String device, String address, Integer mtu, DhcpRange dhcpRange) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"start", "end"})
    public record DhcpRange(String start, String end) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"path", "mode", "content"})
    public record FileSpec(String path, String mode, String content) {
    }

    public ProfileSpec withName(String newName) {
        return new ProfileSpec(newName, description, hostname, target, interfaces, wan, ipv6, packages, services, settings, files, slim);
    }

    public ProfileSpec withWan(WanSpec newWan) {
        return new ProfileSpec(name, description, hostname, target, interfaces, newWan, ipv6, packages, services, settings, files, slim);
    }

    /** The spec as it may leave the studio: secrets removed. */
    public ProfileSpec withoutSecrets() {
        return wan == null ? this : withWan(wan.withPassword(null));
    }

    public ProfileSpec withSettings(ServiceSettings newSettings) {
        return new ProfileSpec(name, description, hostname, target, interfaces, wan, ipv6, packages, services, newSettings, files, slim);
    }

    public ProfileSpec withIpv6(Ipv6Settings newIpv6) {
        return new ProfileSpec(name, description, hostname, target, interfaces, wan, newIpv6, packages, services, settings, files, slim);
    }

    /** Whether the profile enables an optional service (by its folder name). */
    public boolean hasService(String id) {
        return services != null && services.contains(id);
    }

    public String wanPassword() {
        return wan == null ? null : wan.password();
    }
}
