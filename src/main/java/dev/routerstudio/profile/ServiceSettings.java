package dev.routerstudio.profile;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Settings of the optional services that have any, one component per such service, named like
 * its folder under image-pipeline/services/. A setting of a service the profile does not enable
 * is an error, so it never silently does nothing.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceSettings(SshSettings ssh) {

    @JsonIgnore
    public boolean isEmpty() {
        return ssh == null;
    }
}
