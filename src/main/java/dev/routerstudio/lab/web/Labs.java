package dev.routerstudio.lab.web;

import dev.routerstudio.build.Build;
import dev.routerstudio.build.BuildService;
import dev.routerstudio.build.BuildStatus;
import dev.routerstudio.lab.LabRequest;
import dev.routerstudio.lab.LabService;
import dev.routerstudio.lab.LabStatus;
import dev.routerstudio.profile.ProfileJson;
import dev.routerstudio.profile.ProfileSpec;
import org.springframework.stereotype.Service;

import java.nio.file.Path;
import java.util.List;

/** Boots builds in labs: finds the build's kernel, initramfs and root, and the profile's secrets, for the lab service. */
@Service
public class Labs {

    private final LabService labs;
    private final BuildService builds;
    public Labs(LabService labs, BuildService builds) {
        this.labs = labs;
        this.builds = builds;
    }

    /** shutdownCheck: end with the check that powers the router off (the page leaves it running to type into). */
    public String boot(long buildId, boolean shutdownCheck) {
        Build build = builds.get(buildId);
        if (build.getStatus() != BuildStatus.SUCCEEDED) {
            throw new LabRefusedException("build " + buildId + " is " + build.getStatus().name().toLowerCase()
                    + "; only a succeeded build can boot in a lab");
        }
        Path kernel = builds.artifact(build, "vmlinuz").orElseThrow(() -> missing(buildId, "vmlinuz"));
        Path initramfs = builds.artifact(build, "initramfs.cpio.xz").orElseThrow(() -> missing(buildId, "initramfs.cpio.xz"));
        Path rootfs = builds.artifact(build, "rootfs.squashfs").orElseThrow(() -> missing(buildId, "rootfs.squashfs"));
        ProfileSpec spec = ProfileJson.read(build.getSpecJson());
        // the peer must accept exactly what the firmware sends: the password the build was made with
        String password = builds.builtPassword(build);
        if (password != null) {
            spec = spec.withWan(spec.wan().withPassword(password));
        }
        return labs.start(LabRequest.of(Long.toString(buildId), kernel, initramfs, rootfs, spec)
                .withChecks(true, shutdownCheck, java.util.List.of()));
    }

    private static LabRefusedException missing(long buildId, String name) {
        return new LabRefusedException("build " + buildId + " has no " + name + " (it was made before the lab existed, or retention removed it) — build again");
    }

    public LabStatus status(String id) {
        requireKnown(id);
        return labs.status(id);
    }

    public List<LabStatus> all() {
        return labs.labs();
    }

    public void requireKnown(String id) {
        if (labs.labs().stream().noneMatch(l -> l.id().equals(id))) {
            throw new LabNotFoundException(id);
        }
    }

    public LabService service() {
        return labs;
    }
}
