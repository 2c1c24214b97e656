package dev.routerstudio.lab.web;

import dev.routerstudio.lab.CheckScript;
import dev.routerstudio.pipeline.LabDescription;
import dev.routerstudio.profile.ProfileValidator;
import dev.routerstudio.profile.Violation;
import io.swagger.v3.oas.annotations.media.Schema;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * How a lab differs from what the build describes. isp: the credentials the ISP expects (for the
 * PPP modes; by default the profile's own, so a wrong password in the profile can only show
 * against credentials pinned here — what a CI job that verifies a profile should do). leaveOut:
 * checks not to run, by name or family ("link-loss" is link-loss-ppp or link-loss-dhcp), e.g. to
 * reach a quiet console sooner; a check another kept check needs cannot be left out alone.
 */
@Schema(description = "Optional: how the lab differs from what the build describes")
public record LabOptions(Isp isp,
                         @Schema(description = "checks not to run, by name or family (\"link-loss\", \"persist\"); not \"shutdown\" "
                                 + "(that is shutdownCheck=false)") List<String> leaveOut,
                         @Schema(description = "the name of an uploaded peer VM (GET /api/v1/peers) to boot as the ISP instead of the "
                                 + "built-in one; checks it cannot answer are skipped, each saying why") String peer) {

    @Schema(description = "The login the lab's ISP accepts (PPPoE and L2TP); each field defaults to the profile's own")
    public record Isp(String username, String password) {
    }

    public static final LabOptions NONE = new LabOptions(null, null, null);

    /**
     * What the page's "quick" leaves out where the lab has them, for a person who wants the
     * console: all but the checks that the router connects (boot, link, WAN, routes, DNS,
     * readiness, LAN, NAT, IPv6, restart). Out go the tools on PATH (they type into the router's
     * console), the firewall probed from the ISP, the line faults, the ISP's restart and the two
     * reboots: 4–5 minutes of a full lab. Verify and the API's default run them all.
     */
    public static final List<String> QUICK = List.of("path", "wan-closed", "no-forward-in", "link-loss", "lossy-line", "isp-restart", "persist");

    public LabOptions {
        // a null entry stays, to be refused by its index in leftOut (List.copyOf would throw)
        leaveOut = leaveOut == null ? List.of() : java.util.Collections.unmodifiableList(new ArrayList<>(leaveOut));
    }

    /** These options leaving out what they did and more. */
    public LabOptions leavingOut(List<String> more) {
        List<String> all = new ArrayList<>(leaveOut);
        all.addAll(more);
        return new LabOptions(isp, all, peer);
    }

    /** These options leaving out, too, the {@link #QUICK} checks this lab has (one it lacks is no error here). */
    public LabOptions quick(LabDescription lab) {
        return leavingOut(QUICK.stream().filter(q -> !matching(q, lab.checks()).isEmpty()).toList());
    }

    /** The checks a leaveOut name means: the check of that name, else its family ("link" is the link check, not link-loss). */
    static List<String> matching(String name, List<String> checks) {
        if (name == null) {
            return List.of();
        }
        return checks.contains(name) ? List.of(name) : checks.stream().filter(c -> c.startsWith(name + "-")).toList();
    }

    /** The lab's check names leaveOut means; a field error for a name the lab lacks or one a kept check needs. */
    public List<String> leftOut(LabDescription lab) {
        List<Violation> bad = new ArrayList<>();
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (int i = 0; i < leaveOut.size(); i++) {
            String name = leaveOut.get(i);
            String field = "leaveOut[" + i + "]";
            List<String> matched = matching(name, lab.checks());
            if ("shutdown".equals(name)) {
                bad.add(new Violation(field, "the shutdown check is left out with shutdownCheck=false, not here"));
            } else if (matched.isEmpty()) {
                bad.add(new Violation(field, "this lab has no such check (by name or family); its checks: "
                        + String.join(", ", lab.checks())));
            } else {
                out.addAll(matched);
            }
        }
        List<String> checks = lab.checks();
        for (int k = 0; k < checks.size(); k++) {
            String kept = checks.get(k);
            if (out.contains(kept) || kept.equals("shutdown")) {
                continue;
            }
            // as the engine reads "needs": a check before this one whose name starts so, which passed
            List<String> before = checks.subList(0, k);
            for (String need : CheckScript.builtIn(kept).needs()) {
                List<String> family = before.stream().filter(c -> c.startsWith(need)).toList();
                if (!family.isEmpty() && out.containsAll(family)) {
                    bad.add(new Violation("leaveOut", kept + " needs the " + need + " check: leave " + kept + " out too, or keep " + need));
                }
            }
        }
        if (!bad.isEmpty()) {
            throw new LabOptionsException(bad);
        }
        return List.copyOf(out);
    }

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
