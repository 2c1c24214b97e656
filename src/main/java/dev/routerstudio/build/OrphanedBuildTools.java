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
 * behind). Only processes marked with this data dir's build folder are touched.
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
                    if (pid != ProcessHandle.current().pid() && ("\0" + environ).contains("\0" + marker)) {
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
}
