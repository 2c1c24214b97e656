package dev.routerstudio;

import dev.routerstudio.pipeline.ToolRunner;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills the studio with SIGKILL in the middle of a build, starts it again on the same data dir
 * and checks what a person would: nothing lost, the build queued again and finished by itself, no
 * build tool left running, nothing half-written served.
 */
class CrashRecoveryTest {

    static final Path BASE = Path.of("target", "crash-test").toAbsolutePath();
    static final Path CACHE = Path.of(System.getProperty("studio.builds.package-cache", "target/package-cache")).toAbsolutePath();

    /** Processes still marked as build tools of this data dir. */
    static List<Long> markedProcesses(Path dataDir) throws IOException {
        String marker = ToolRunner.OWNER_VARIABLE + "=" + dataDir.resolve("builds").toAbsolutePath() + "/";
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .filter(n -> {
                        try {
                            return ("\0" + Files.readString(Path.of("/proc", n, "environ"), StandardCharsets.ISO_8859_1)).contains("\0" + marker);
                        } catch (IOException | RuntimeException e) {
                            return false;
                        }
                    }).map(Long::parseLong).toList();
        }
    }

    @Test
    void killedInTheMiddleOfABuild() throws Exception {
        Path data = BASE.resolve("data-" + System.nanoTime());
        long buildId;
        String description = "changed just before the crash " + System.nanoTime();
        int orphansAfterKill;
        try (StudioProcess studio = new StudioProcess(data, CACHE).start()) {
            ObjectNode spec = (ObjectNode) StudioProcess.JSON.readTree(studio.call("GET", "/api/v1/profiles/example-pppoe/export", null).body());
            spec.put("description", description);
            ((ObjectNode) spec.get("wan")).put("password", "secret");
            assertThat(studio.call("PUT", "/api/v1/profiles/example-pppoe", spec.toString()).statusCode()).isEqualTo(200);

            buildId = studio.json("POST", "/api/v1/profiles/example-pppoe/builds", null).get("id").asLong();
            Instant deadline = Instant.now().plusSeconds(180);
            String stage = "";
            while (Instant.now().isBefore(deadline)) {
                JsonNode b = studio.json("GET", "/api/v1/builds/" + buildId, null);
                stage = b.path("stage").asString("");
                if (b.get("status").asString().equals("RUNNING") && stage.equals("rootfs")) {
                    Thread.sleep(300); // mksquashfs is running now
                    break;
                }
                assertThat(b.get("status").asString()).isIn("QUEUED", "RUNNING");
                Thread.sleep(20);
            }
            studio.kill();
            orphansAfterKill = markedProcesses(data).size();
            System.out.println("crash test: killed the studio during stage '" + stage + "'; build tools still running after SIGKILL: " + orphansAfterKill);
        }
        // A tool that outlived the studio (one that ignores SIGPIPE would): the restart must end it,
        // and must leave alone a process that is not the studio's.
        ProcessBuilder orphan = new ProcessBuilder("sleep", "600");
        orphan.environment().put(ToolRunner.OWNER_VARIABLE, data.resolve("builds").resolve(Long.toString(buildId)).resolve("work").toString());
        Process marked = orphan.start();
        Process stranger = new ProcessBuilder("sleep", "600").start();

        try (StudioProcess studio = new StudioProcess(data, CACHE).start()) {
            // The restarted studio ended the tools the old one left (and nothing else), and took the
            // build over like a dead worker's: queued again once, so it runs to the end by itself.
            assertThat(marked.isAlive()).as("a tool the killed studio left running").isFalse();
            assertThat(stranger.isAlive()).as("a process the studio did not start").isTrue();
            stranger.destroy();
            assertThat(studio.json("GET", "/api/v1/profiles/example-pppoe", null).get("description").asString()).isEqualTo(description);

            Instant deadline = Instant.now().plusSeconds(300);
            JsonNode b = studio.json("GET", "/api/v1/builds/" + buildId, null);
            while (Instant.now().isBefore(deadline) && List.of("QUEUED", "RUNNING").contains(b.get("status").asString())) {
                assertThat(b.get("artifacts").size()).as("artifacts of an unfinished build").isZero();
                // Asked first, the status after: a build still unfinished after the download was
                // unfinished during it too, so the download must have been refused (the build may
                // well finish in between, and then serving it is right).
                int download = studio.call("GET", "/api/v1/builds/" + buildId + "/artifacts/firmware.tar", null).statusCode();
                b = studio.json("GET", "/api/v1/builds/" + buildId, null);
                if (List.of("QUEUED", "RUNNING").contains(b.get("status").asString())) {
                    assertThat(download).as("firmware.tar of an unfinished build").isEqualTo(404);
                }
                Thread.sleep(200);
            }
            assertThat(b.get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(b.get("attempt").asInt()).isEqualTo(2);
            assertThat(studio.call("GET", "/api/v1/builds/" + buildId + "/log", null).body())
                    .contains("stopped while it ran; queued again (attempt 2 of 2)");
            assertThat(studio.call("GET", "/api/v1/builds/" + buildId + "/artifacts/firmware.tar", null).statusCode()).isEqualTo(200);
            assertThat(markedProcesses(data)).as("build tools left running after the build").isEmpty();
            System.out.println("crash test: after the restart the build was queued again and " + b.get("status").asString()
                    + " (attempt 2); build tools left running: 0 (were " + orphansAfterKill + " right after the kill)");
        }
    }

    /** QEMU processes started for labs of this data dir (their command lines name the lab dir). */
    static List<Long> labProcesses(Path dataDir) {
        String labs = dataDir.resolve("labs").toAbsolutePath() + "/";
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(labs))
                .map(ProcessHandle::pid).toList();
    }

    @Test
    void killedInTheMiddleOfALab() throws Exception {
        Path data = BASE.resolve("lab-" + System.nanoTime());
        String lab;
        int qemusAfterKill;
        try (StudioProcess studio = new StudioProcess(data, CACHE).start()) {
            long build = studio.json("POST", "/api/v1/profiles/example-pppoe/builds", null).get("id").asLong();
            Instant deadline = Instant.now().plusSeconds(300);
            while (!studio.json("GET", "/api/v1/builds/" + build, null).get("status").asString().equals("SUCCEEDED")) {
                assertThat(Instant.now()).isBefore(deadline);
                Thread.sleep(200);
            }
            lab = studio.json("POST", "/api/v1/builds/" + build + "/labs?shutdownCheck=false", null).get("id").asString();
            while (true) {
                JsonNode s = studio.json("GET", "/api/v1/labs/" + lab, null);
                boolean routerUp = false;
                for (JsonNode n : s.get("nodes")) {
                    routerUp |= n.get("name").asString().equals("router") && n.get("state").asString().equals("RUNNING");
                }
                if (routerUp) {
                    break;
                }
                assertThat(s.get("state").asString()).isNotEqualTo("FAILED");
                assertThat(Instant.now()).isBefore(deadline);
                Thread.sleep(200);
            }
            studio.kill();
            qemusAfterKill = labProcesses(data).size();
            System.out.println("crash test: killed the studio with a lab booting; QEMU processes left after SIGKILL: " + qemusAfterKill);
        }
        try (StudioProcess studio = new StudioProcess(data, CACHE).start()) {
            Instant deadline = Instant.now().plusSeconds(30);
            while (!labProcesses(data).isEmpty() && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
            }
            assertThat(labProcesses(data)).as("QEMU processes left after the restart").isEmpty();
            assertThat(studio.call("GET", "/api/v1/labs/" + lab, null).statusCode()).isEqualTo(404);
            assertThat(studio.json("GET", "/api/v1/profiles/example-pppoe", null).get("name").asString()).isEqualTo("example-pppoe");
            System.out.println("crash test: after restart, QEMU processes left: 0 (were " + qemusAfterKill + " right after the kill)");
        }
    }
}
