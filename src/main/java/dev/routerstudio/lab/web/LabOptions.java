package dev.routerstudio.lab.web;

import dev.routerstudio.pipeline.LabDescription;
import dev.routerstudio.profile.ProfileValidator;
import dev.routerstudio.profile.Violation;
import io.swagger.v3.oas.annotations.media.Schema;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * How a lab's peers differ from what the build describes. isp: the credentials the ISP expects
 * (for the PPP modes; by default the profile's own, so a wrong password in the profile can only
 * show against credentials pinned here — what a CI job that verifies a profile should do).
 */
@Schema(description = "Optional: how the lab's ISP differs from what the build describes")
public record LabOptions(Isp isp) {

    @Schema(description = "The login the lab's ISP accepts (PPPoE and L2TP); each field defaults to the profile's own")
    public record Isp(String username, String password) {
    }

    public static final LabOptions NONE = new LabOptions(null);

    /** The lab description with the options applied; a field error for each value that cannot be. */
    public LabDescription apply(LabDescription lab) {
        if (isp == null || (isp.username() == null && isp.password() == null)) {
            return lab;
        }
        List<Violation> bad = new ArrayList<>();
        boolean login = lab.isp().values().containsKey("username");
        check(bad, "isp.username", isp.username(), login, lab.wanMode());
        check(bad, "isp.password", isp.password(), login, lab.wanMode());
        if (!bad.isEmpty()) {
            throw new LabOptionsException(bad);
        }
        LabDescription out = lab;
        if (isp.username() != null) {
            out = out.withIspValue("username", isp.username());
        }
        if (isp.password() != null) {
            out = out.withIspValue("password", isp.password());
        }
        return out;
    }

    private static void check(List<Violation> bad, String field, String value, boolean login, String mode) {
        if (value == null) {
            return;
        }
        if (!login) {
            bad.add(new Violation(field, "the " + mode + " ISP takes no login; leave isp out for this WAN mode"));
        } else if (value.isEmpty() || value.getBytes(StandardCharsets.UTF_8).length > 255) {
            bad.add(new Violation(field, "must be 1–255 bytes (pppd's limit)"));
        } else if (!ProfileValidator.isPrintable(value)) {
            bad.add(new Violation(field, "must contain only printable characters (no control characters, line breaks or invisible formatting marks)"));
        }
    }
}
