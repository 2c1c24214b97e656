package dev.routerstudio.profile;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Settings of the optional services that have any, one component per such service, named like
 * its folder under image-pipeline/services/. A setting of a service the profile does not enable
 * is an error, so it never silently does nothing.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"firewall", "ssh"})
public record ServiceSettings(FirewallSettings firewall, SshSettings ssh) {

    /** Only ssh settings (most profiles with settings have just these). */
    public ServiceSettings(SshSettings ssh) {
        this(null, ssh);
    }

    @JsonIgnore
    public boolean isEmpty() {
        return ssh == null && firewall == null;
    }
}
