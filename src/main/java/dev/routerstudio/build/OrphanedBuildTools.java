package dev.routerstudio.build;

import dev.routerstudio.pipeline.ToolRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Ends build tools left running by a studio that was killed (SIGKILL leaves its children
 * behind). Only processes marked with this data dir's build folder are touched, and only when
 * the studio process that started them is gone: another node on this machine sharing the data
 * dir keeps its tools.
 */
@Component
class OrphanedBuildTools {

    private static final Logger log = LoggerFactory.getLogger(OrphanedBuildTools.class);

    private final BuildFolders folders;

    OrphanedBuildTools(BuildFolders folders) {
        this.folders = folders;
    }

    void reap() {
        String marker = ToolRunner.OWNER_VARIABLE + "=" + folders.buildsDir().toAbsolutePath() + "/";
        try (var procs = Files.list(Path.of("/proc"))) {
            procs.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit)).forEach(n -> {
                long pid = Long.parseLong(n);
                try {
                    String environ = Files.readString(Path.of("/proc", n, "environ"), StandardCharsets.ISO_8859_1);
                    if (pid != ProcessHandle.current().pid() && ("\0" + environ).contains("\0" + marker) && ownerGone(environ)) {
                        ProcessHandle.of(pid).ifPresent(h -> {
                            log.warn("Ending build tool {} ({}) left by an earlier studio", pid, h.info().command().orElse("?"));
                            h.destroyForcibly();
                        });
                    }
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile, or not ours to read
                }
            });
        } catch (IOException e) {
            log.warn("Cannot scan /proc for orphaned build tools: {}", e.getMessage());
        }
    }

    /** Whether the studio that started the tool has ended (tools from before the pid was marked count as orphans). */
    private static boolean ownerGone(String environ) {
        String key = ToolRunner.OWNER_PID_VARIABLE + "=";
        for (String entry : environ.split("\0")) {
            if (entry.startsWith(key)) {
                try {
                    long owner = Long.parseLong(entry.substring(key.length()));
                    // our own pid on a tool at start-up means the killed studio had it before us
                    return owner == ProcessHandle.current().pid() || ProcessHandle.of(owner).map(h -> !h.isAlive()).orElse(true);
                } catch (NumberFormatException e) {
                    return true;
                }
            }
        }
        return true;
    }
}
