package dev.routerstudio;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two studio processes sharing one PostgreSQL database and one data dir, as a team would run
 * them: `all` (web and worker) and a second `worker`. A cancel sent to one node stops the build
 * on the other; ten builds of different profiles each run exactly once, on both workers; a worker
 * killed mid-build has that build taken over by the other, which runs it to the end. alpha has
 * no lab slots, so a lab booted through it runs on beta, and alpha streams and types into its
 * console, and stops it, with the nodes' shared secret between them.
 */
class WorkersTest {

    static final Path BASE = Path.of("target", "workers-test").toAbsolutePath();
    static final List<String> EARLY_STAGES = List.of("resolve", "unpack", "prune", "services", "etc", "kernel");

    @Test
    void buildsRunOnceEachOnBothWorkersAndADeadWorkersBuildIsTakenOver() throws Exception {
        String database = PostgresCluster.cluster().newDatabase();
        Path data = BASE.resolve("data-" + System.nanoTime());
        try (StudioProcess alpha = node(database, data, "all", "alpha").env("STUDIO_LABS_MAX", "0");
             StudioProcess beta = node(database, data, "worker", "beta")) {
            alpha.start();
            beta.env("STUDIO_NODE_URL", beta.url()).start();

            labThroughOneNodeRunsOnTheOther(alpha, beta, data);

            // Cancelled through the node that is not running it: stopped at the runner's next heartbeat.
            long x = submit(alpha, "cancelled");
            JsonNode running = await(alpha, x, b -> b.get("status").asString().equals("RUNNING"));
            StudioProcess other = running.get("worker").asString().equals("alpha") ? beta : alpha;
            other.call("POST", "/api/v1/builds/" + x + "/cancel", null);
            JsonNode cancelled = await(alpha, x, b -> !b.get("status").asString().equals("RUNNING"));
            assertThat(cancelled.get("status").asString()).isEqualTo("CANCELLED");
            assertThat(data.resolve("builds").resolve(Long.toString(x)).resolve("work")).doesNotExist();

            List<Long> ids = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                ids.add(submit(alpha, "team-" + i));
            }
            // beta has built one and is early in another: kill it there.
            Long killedDuring = null;
            Instant deadline = Instant.now().plusSeconds(300);
            while (killedDuring == null && Instant.now().isBefore(deadline)) {
                List<JsonNode> now = new ArrayList<>();
                for (long id : ids) {
                    now.add(alpha.json("GET", "/api/v1/builds/" + id, null));
                }
                boolean betaBuiltOne = now.stream().anyMatch(b -> on(b, "beta") && b.get("status").asString().equals("SUCCEEDED"));
                for (JsonNode b : now) {
                    if (betaBuiltOne && on(b, "beta") && b.get("status").asString().equals("RUNNING")
                            && EARLY_STAGES.contains(b.path("stage").asString(""))) {
                        beta.kill();
                        killedDuring = b.get("id").asLong();
                        break;
                    }
                }
                Thread.sleep(50);
            }
            assertThat(killedDuring).as("beta built one build and was running another").isNotNull();

            Set<String> builtBy = new HashSet<>();
            for (long id : ids) {
                JsonNode b = await(alpha, id, s -> List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(s.get("status").asString()));
                assertThat(b.get("status").asString()).as("build " + id).isEqualTo("SUCCEEDED");
                String log = Files.readString(data.resolve("builds").resolve(Long.toString(id)).resolve("build.log"));
                long starts = log.lines().filter(l -> l.startsWith("build " + id + " of profile ")).count();
                if (id == killedDuring) {
                    assertThat(b.get("attempt").asInt()).isEqualTo(2);
                    assertThat(b.get("worker").asString()).isEqualTo("alpha");
                    assertThat(log).contains("taken over by alpha: worker beta sent no heartbeat for 5 s; queued again (attempt 2 of 2)");
                    assertThat(starts).as("runs of the build beta died in").isEqualTo(2L);
                } else {
                    assertThat(b.get("attempt").asInt()).isEqualTo(1);
                    assertThat(starts).as("runs of build " + id).isEqualTo(1L);
                    builtBy.add(b.get("worker").asString());
                }
                assertThat(alpha.call("GET", "/api/v1/builds/" + id + "/artifacts/firmware.tar", null).statusCode()).isEqualTo(200);
            }
            assertThat(builtBy).containsExactlyInAnyOrder("alpha", "beta");

            JsonNode workers = alpha.json("GET", "/api/v1/workers", null);
            assertThat(workers.findValuesAsString("name")).containsExactly("alpha", "beta");
            assertThat(worker(workers, "beta").get("alive").asBoolean()).isFalse();
            assertThat(worker(workers, "alpha").get("alive").asBoolean()).isTrue();
            assertThat(worker(workers, "alpha").get("role").asString()).isEqualTo("all");
            assertThat(alpha.call("GET", "/admin/workers", null).body()).contains("beta").contains("silent");
            // The health answer names the database (PostgreSQL here), to a load balancer too.
            JsonNode health = StudioProcess.JSON.readTree(alpha.call("GET", "/actuator/health", null).body());
            assertThat(health.at("/components/db/status").asString()).isEqualTo("UP");
        }
    }

    /** A lab booted through alpha (no lab slots) runs on beta; its console and typing come through alpha. */
    private static void labThroughOneNodeRunsOnTheOther(StudioProcess alpha, StudioProcess beta, Path data) throws Exception {
        long build = submit(alpha, "lab-remote");
        assertThat(await(alpha, build, b -> List.of("SUCCEEDED", "FAILED").contains(b.get("status").asString()))
                .get("status").asString()).isEqualTo("SUCCEEDED");
        HttpResponse<String> booted = alpha.call("POST", "/api/v1/builds/" + build + "/labs?shutdownCheck=false", null);
        assertThat(booted.statusCode()).as(booted.body()).isEqualTo(202);
        JsonNode lab = StudioProcess.JSON.readTree(booted.body());
        String id = lab.get("id").asString();
        assertThat(lab.get("worker").asString()).isEqualTo("beta");
        assertThat(alpha.json("GET", "/api/v1/labs", null).findValuesAsString("id")).contains(id);
        assertThat(worker(alpha.json("GET", "/api/v1/workers", null), "beta").get("takesLabs").asBoolean()).isTrue();

        // Only a node with the secret gets past beta's door, and then only for beta's own labs.
        HttpResponse<String> stranger = StudioProcess.HTTP.send(HttpRequest.newBuilder(URI.create(beta.url() + "/api/v1/labs"))
                .header("X-Studio-Node-Secret", "not-the-secret-of-this-studio").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stranger.statusCode()).isEqualTo(401);
        assertThat(stranger.body()).contains("studio.node.secret");

        HttpResponse<InputStream> sse = alpha.stream("/api/v1/labs/" + id + "/console/router");
        assertThat(sse.statusCode()).isEqualTo(200);
        try (BufferedReader events = new BufferedReader(new InputStreamReader(sse.body(), StandardCharsets.UTF_8))) {
            awaitLine(events, "stage1: starting s6-svscan", 120);
            // the boot check has a shell answering: type through alpha, see beta's router run it
            Instant deadline = Instant.now().plusSeconds(120);
            while (!alpha.json("GET", "/api/v1/labs/" + id, null).at("/checks/0/status").asString().equals("PASSED")) {
                assertThat(Instant.now()).as("the router's boot check passed").isBefore(deadline);
                Thread.sleep(500);
            }
            assertThat(alpha.postText("/api/v1/labs/" + id + "/console/router", "echo typed-via-$((6 * 7))-alpha\n")
                    .statusCode()).isEqualTo(204);
            awaitLine(events, "typed-via-42-alpha", 60);
            // An upgrade asked of alpha reaches beta's lab, whose refusal (its checks still run) comes back as it was.
            HttpResponse<String> upgrade = alpha.call("POST", "/api/v1/labs/" + id + "/upgrade", "{\"buildId\": " + build + "}");
            assertThat(upgrade.statusCode()).as(upgrade.body()).isEqualTo(409);
            assertThat(upgrade.body()).contains("still running on the router's console");
        }
        // A viewer resuming past the end of a quiet console hears from the stream at once (so its
        // EventSource opens), not only at the first keep-alive 15 s later.
        HttpResponse<InputStream> quiet = alpha.stream("/api/v1/labs/" + id + "/console/router?after=1000000000");
        try (BufferedReader events = new BufferedReader(new InputStreamReader(quiet.body(), StandardCharsets.UTF_8))) {
            // (bounded: without the opening comment nothing ever comes through alpha, and readLine would wait for good)
            assertThat(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return events.readLine();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(":console");
        }
        assertThat(alpha.call("DELETE", "/api/v1/labs/" + id, null).statusCode()).isEqualTo(204);
        assertThat(alpha.call("GET", "/api/v1/labs/" + id, null).statusCode()).isEqualTo(404);
        String labsOfBeta = data.resolve("labs").resolve("beta") + "/";
        assertThat(qemusUnder(labsOfBeta)).as("beta's QEMUs after the stop").isEmpty();
    }

    /** Reads server-sent events until one's data holds text. */
    private static void awaitLine(BufferedReader events, String text, int seconds) throws Exception {
        Instant deadline = Instant.now().plusSeconds(seconds);
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = events.readLine()) != null) {
            if (line.startsWith("data:")) {
                seen.append(StudioProcess.JSON.readTree(line.substring(5).strip()).asString());
                if (seen.indexOf(text) >= 0) {
                    return;
                }
                if (seen.length() > 20_000) {
                    seen.delete(0, seen.length() - 1_000);
                }
            }
            if (Instant.now().isAfter(deadline)) {
                break;
            }
        }
        throw new AssertionError("the console through alpha never showed '" + text + "'; last: " + seen);
    }

    private static List<Long> qemusUnder(String dir) throws Exception {
        Thread.sleep(1000);
        List<Long> found = new ArrayList<>();
        try (var procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : procs) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (cmd.startsWith("qemu-system") && cmd.contains(dir)) {
                        found.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (java.io.IOException gone) {
                    // ended meanwhile
                }
            }
        }
        return found;
    }

    private static boolean on(JsonNode build, String worker) {
        return worker.equals(build.path("worker").asString(null));
    }

    private static JsonNode worker(JsonNode workers, String name) {
        for (JsonNode w : workers) {
            if (w.get("name").asString().equals(name)) {
                return w;
            }
        }
        throw new AssertionError("no worker " + name + " in " + workers);
    }

    private static StudioProcess node(String database, Path data, String role, String name) throws Exception {
        return new StudioProcess(data, CrashRecoveryTest.CACHE).logAs(name)
                .env("SPRING_DATASOURCE_URL", database)
                .env("SPRING_DATASOURCE_USERNAME", "studio")
                .env("STUDIO_NODE_ROLE", role)
                .env("STUDIO_NODE_NAME", name)
                .env("STUDIO_NODE_HEARTBEAT", "1s")
                .env("STUDIO_NODE_TAKEOVER_AFTER", "5s")
                .env("STUDIO_NODE_SECRET", "workers-test-shared-secret")
                .env("STUDIO_BUILDS_MAX_QUEUED", "20")
                .env("STUDIO_BUILDS_MAX_QUEUED_PER_USER", "20");
    }

    /** A build of its own profile (a copy of the example with another description: no cache hit). */
    private static long submit(StudioProcess web, String name) throws Exception {
        ObjectNode spec = (ObjectNode) StudioProcess.JSON.readTree(web.call("GET", "/api/v1/profiles/example-pppoe/export", null).body());
        spec.put("name", name);
        spec.put("description", "workers test " + name + " " + System.nanoTime());
        ((ObjectNode) spec.get("wan")).put("password", "secret");
        assertThat(web.call("POST", "/api/v1/profiles", spec.toString()).statusCode()).isEqualTo(201);
        return web.json("POST", "/api/v1/profiles/" + name + "/builds", null).get("id").asLong();
    }

    private static JsonNode await(StudioProcess web, long id, Predicate<JsonNode> until) throws Exception {
        Instant deadline = Instant.now().plusSeconds(240);
        JsonNode b = web.json("GET", "/api/v1/builds/" + id, null);
        while (!until.test(b)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("build " + id + " did not get there in 240 s: " + b);
            }
            Thread.sleep(100);
            b = web.json("GET", "/api/v1/builds/" + id, null);
        }
        return b;
    }
}
