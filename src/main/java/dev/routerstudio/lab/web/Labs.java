package dev.routerstudio.lab.web;

import dev.routerstudio.build.Build;
import dev.routerstudio.build.BuildService;
import dev.routerstudio.build.BuildStatus;
import dev.routerstudio.lab.LabRequest;
import dev.routerstudio.lab.LabService;
import dev.routerstudio.lab.LabStatus;
import dev.routerstudio.pipeline.LabDescription;
import dev.routerstudio.pipeline.PipelineException;
import org.springframework.stereotype.Service;

import dev.routerstudio.lab.FirmwareBundle;
import org.springframework.web.multipart.MultipartFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Boots builds in labs: finds the build's kernel, initramfs, root and lab description for the lab service. */
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
        // What the lab runs is what the build decided (lab.json), never the profile as it is now.
        Path labJson = builds.artifact(build, LabDescription.FILE).orElseThrow(() -> missing(buildId, LabDescription.FILE));
        LabDescription lab;
        try {
            lab = LabDescription.read(labJson, "lab.json of build " + buildId);
        } catch (PipelineException e) {
            throw new LabRefusedException(e.getMessage());
        }
        return labs.start(LabRequest.of(Long.toString(buildId), kernel, initramfs, rootfs, lab)
                .withChecks(true, shutdownCheck, java.util.List.of()));
    }

    /**
     * Boots an uploaded firmware.tar: streamed to a file under the data dir, unpacked into the
     * lab's folder and checked there; the upload file is removed whatever happens.
     */
    public String bootUpload(MultipartFile firmware, boolean shutdownCheck) {
        if (firmware == null || firmware.isEmpty()) {
            throw new BundleRejectedException("the multipart field 'firmware' is empty; send the firmware.tar a build produced");
        }
        Path upload = null;
        try {
            upload = labs.newUploadFile();
            firmware.transferTo(upload);
            return labs.startBundle(upload, shutdownCheck);
        } catch (FirmwareBundle.InvalidBundleException e) {
            throw new BundleRejectedException(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the uploaded firmware.tar under the data dir: " + e.getMessage(), e);
        } finally {
            if (upload != null) {
                try {
                    Files.deleteIfExists(upload);
                } catch (IOException ignored) {
                    // the data dir went away; nothing left to clean
                }
            }
        }
    }

    private static LabRefusedException missing(long buildId, String name) {
        return new LabRefusedException("build " + buildId + " has no " + name + " (it was made by an older studio, or retention removed it) — build again");
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
