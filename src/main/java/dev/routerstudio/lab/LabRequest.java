package dev.routerstudio.lab;

import dev.routerstudio.pipeline.LabDescription;

import java.nio.file.Path;
import java.util.List;

/**
 * What a lab boots: a firmware's kernel, initramfs and root squashfs, and its lab description
 * (lab.json, written by the build; it names the peers, their values and the checks).
 * shutdownCheck: run the last check, which powers the router off. extraChecks: more scripts
 * (e.g. a user's own) run after the built-in checks and before the shutdown check.
 * builtInChecks: false runs only extraChecks (and the shutdown check if asked for).
 * leftOut: built-in checks this lab does not run (a test that proves them in another lab).
 */
public record LabRequest(String buildId, Path kernel, Path initramfs, Path rootfs, LabDescription lab, boolean shutdownCheck,
                         List<CheckScript> extraChecks, boolean builtInChecks, List<String> leftOut) {

    public LabRequest {
        extraChecks = extraChecks == null ? List.of() : List.copyOf(extraChecks);
        leftOut = leftOut == null ? List.of() : List.copyOf(leftOut);
    }

    public static LabRequest of(String buildId, Path kernel, Path initramfs, Path rootfs, LabDescription lab) {
        return new LabRequest(buildId, kernel, initramfs, rootfs, lab, true, List.of(), true, List.of());
    }

    public LabRequest withLab(LabDescription newLab) {
        return new LabRequest(buildId, kernel, initramfs, rootfs, newLab, shutdownCheck, extraChecks, builtInChecks, leftOut);
    }

    public LabRequest withChecks(boolean builtIn, boolean shutdown, List<CheckScript> extra) {
        return new LabRequest(buildId, kernel, initramfs, rootfs, lab, shutdown, extra, builtIn, leftOut);
    }

    public LabRequest leavingOut(String... checks) {
        return new LabRequest(buildId, kernel, initramfs, rootfs, lab, shutdownCheck, extraChecks, builtInChecks, List.of(checks));
    }
}
