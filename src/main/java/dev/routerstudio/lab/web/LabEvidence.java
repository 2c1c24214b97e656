package dev.routerstudio.lab.web;

import dev.routerstudio.lab.LabService;
import dev.routerstudio.lab.LabStatus;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a lab proved, kept after it stops: its verdict in lab_run (a build's page lists them) and
 * its evidence folder (each node's whole console, checks.json, the firmware's manifest, captures
 * when there are any), downloaded as one tar.
 */
@Service
public class LabEvidence {

    private static final Logger log = LoggerFactory.getLogger(LabEvidence.class);

    private final LabService labs;
    private final LabRunRepository runs;

    LabEvidence(LabService labs, LabRunRepository runs) {
        this.labs = labs;
        this.runs = runs;
        labs.onFinished(this::record);
    }

    private void record(LabStatus s) {
        runs.save(LabRun.of(s, Instant.now()));
        log.info("lab {} of build {}: {}", s.id(), s.buildId(), LabRun.verdictOf(s).name().toLowerCase());
    }

    /** The firmware's manifest goes with the lab's evidence (what exactly was tested). */
    void addManifest(String labId, Path manifest) {
        try {
            Path dir = labs.evidence(labId);
            Files.createDirectories(dir);
            Files.copy(manifest, dir.resolve("manifest.json"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log.warn("lab {}: the manifest stays out of its evidence: {}", labId, e.getMessage());
        }
    }

    public List<LabRun> forBuild(long buildId) {
        return runs.findTop20ByBuildIdOrderByStartedAtDesc(Long.toString(buildId));
    }

    public java.util.Optional<LabRun> run(String labId) {
        return runs.findById(labId);
    }

    /** Whether there is evidence for the lab (it may have been pruned, or never existed). */
    public boolean exists(String labId) {
        return Files.isDirectory(labs.evidence(labId));
    }

    /** Writes the evidence folder as a tar, every entry under evidence-LAB_ID/. */
    public void writeTar(String labId, OutputStream out) throws IOException {
        Path dir = labs.evidence(labId);
        String top = "evidence-" + labId + "/";
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out); Stream<Path> files = Files.walk(dir)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                // a console log still growing is taken as far as it is now
                byte[] bytes = Files.readAllBytes(f);
                TarArchiveEntry e = new TarArchiveEntry(top + dir.relativize(f).toString().replace('\\', '/'));
                e.setSize(bytes.length);
                e.setMode(0644);
                e.setModTime(Files.getLastModifiedTime(f).toMillis());
                tar.putArchiveEntry(e);
                tar.write(bytes);
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
    }
}
