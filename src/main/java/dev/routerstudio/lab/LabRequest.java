package dev.routerstudio.lab;

import dev.routerstudio.profile.ProfileSpec;

import java.nio.file.Path;
import java.util.List;

/**
 * What a lab boots: a finished build's kernel, initramfs and root squashfs, and the profile it
 * was built from WITH its secrets (the ISP peer must know the PPP password to check it).
 * shutdownCheck: run the last check, which powers the router off. extraChecks: more scripts
 * (e.g. a user's own) run after the built-in checks and before the shutdown check.
 * builtInChecks: false runs only extraChecks (and the shutdown check if asked for).
 */
public record LabRequest(String buildId, Path kernel, Path initramfs, Path rootfs, ProfileSpec spec, boolean shutdownCheck,
                         List<CheckScript> extraChecks, boolean builtInChecks) {

    public LabRequest {
        extraChecks = extraChecks == null ? List.of() : List.copyOf(extraChecks);
    }

    public static LabRequest of(String buildId, Path kernel, Path initramfs, Path rootfs, ProfileSpec spec) {
        return new LabRequest(buildId, kernel, initramfs, rootfs, spec, true, List.of(), true);
    }

    public LabRequest withSpec(ProfileSpec newSpec) {
        return new LabRequest(buildId, kernel, initramfs, rootfs, newSpec, shutdownCheck, extraChecks, builtInChecks);
    }

    public LabRequest withChecks(boolean builtIn, boolean shutdown, List<CheckScript> extra) {
        return new LabRequest(buildId, kernel, initramfs, rootfs, spec, shutdown, extra, builtIn);
    }
}
