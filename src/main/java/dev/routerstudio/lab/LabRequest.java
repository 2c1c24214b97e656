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
 * peer: a user's peer VM booted as the ISP instead of the built-in one, or null.
 */
public record LabRequest(String buildId, Path kernel, Path initramfs, Path rootfs, LabDescription lab, boolean shutdownCheck,
                         List<CheckScript> extraChecks, boolean builtInChecks, List<String> leftOut, PeerVm peer) {

    public LabRequest {
        extraChecks = extraChecks == null ? List.of() : List.copyOf(extraChecks);
        leftOut = leftOut == null ? List.of() : List.copyOf(leftOut);
    }

    public LabRequest(String buildId, Path kernel, Path initramfs, Path rootfs, LabDescription lab, boolean shutdownCheck,
                      List<CheckScript> extraChecks, boolean builtInChecks, List<String> leftOut) {
        this(buildId, kernel, initramfs, rootfs, lab, shutdownCheck, extraChecks, builtInChecks, leftOut, null);
    }

    public static LabRequest of(String buildId, Path kernel, Path initramfs, Path rootfs, LabDescription lab) {
        return new LabRequest(buildId, kernel, initramfs, rootfs, lab, true, List.of(), true, List.of(), null);
    }

    public LabRequest withLab(LabDescription newLab) {
        return new LabRequest(buildId, kernel, initramfs, rootfs, newLab, shutdownCheck, extraChecks, builtInChecks, leftOut, peer);
    }

    public LabRequest withChecks(boolean builtIn, boolean shutdown, List<CheckScript> extra) {
        return new LabRequest(buildId, kernel, initramfs, rootfs, lab, shutdown, extra, builtIn, leftOut, peer);
    }

    public LabRequest leavingOut(String... checks) {
        return new LabRequest(buildId, kernel, initramfs, rootfs, lab, shutdownCheck, extraChecks, builtInChecks, List.of(checks), peer);
    }

    /** The same lab against a user's peer VM as its ISP. */
    public LabRequest withPeer(PeerVm vm) {
        return new LabRequest(buildId, kernel, initramfs, rootfs, lab, shutdownCheck, extraChecks, builtInChecks, leftOut, vm);
    }
}
