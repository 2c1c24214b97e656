package dev.routerstudio.build;

import dev.routerstudio.node.NodeProperties;
import dev.routerstudio.profile.ProfileJson;
import dev.routerstudio.profile.ProfileService;
import dev.routerstudio.profile.ProfileSpec;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real builds through the REST API: apt-fetched Debian packages, mksquashfs, the Malta kernel.
 * The package cache is shared across test runs (target/package-cache), so only the first run downloads.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BuildApiTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    ProfileService profiles;

    @Autowired
    BuildService builds;

    @Autowired
    BuildRecovery recovery;

    @Autowired
    BuildFolders folders;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    NodeProperties node;

    static Long firstBuild;

    static final String AUTH = "Basic " + java.util.Base64.getEncoder()
            .encodeToString(("admin:" + dev.routerstudio.TestClients.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Authorization", AUTH);
    }

    HttpResponse<String> call(String method, String path) throws Exception {
        return HTTP.send(request(path).method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(String method, String path) throws Exception {
        return JSON.readTree(call(method, path).body());
    }

    JsonNode waitFor(long id) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(8));
        while (Instant.now().isBefore(deadline)) {
            JsonNode b = json("GET", "/api/v1/builds/" + id);
            if (List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(b.get("status").asString())) {
                return b;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("build " + id + " did not finish in time");
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    @Order(1)
    void buildTheExampleAndDownloadIt() throws Exception {
        // a profile of this test's own: other test classes share the context and build the example too
        ProfileSpec example = profiles.specWithSecrets("example-pppoe");
        profiles.create(new ProfileSpec("api-build", "build api test " + System.nanoTime(), example.hostname(), example.target(),
                example.interfaces(), example.wan(), example.packages(), example.services(), example.files()));
        HttpResponse<String> queued = call("POST", "/api/v1/profiles/api-build/builds");
        assertThat(queued.statusCode()).isEqualTo(202);
        assertThat(queued.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).startsWith("/api/v1/builds/"));
        long id = JSON.readTree(queued.body()).get("id").asLong();
        firstBuild = id;

        JsonNode done = waitFor(id);
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("progress").asDouble()).isEqualTo(1.0);
        assertThat(done.get("specHash").asString()).hasSize(64);
        assertThat(done.get("stages")).allSatisfy(s -> assertThat(s.get("state").asString()).isEqualTo("done"));

        for (JsonNode a : done.get("artifacts")) {
            HttpResponse<byte[]> file = HTTP.send(request(a.get("url").asString()).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(file.body().length).isEqualTo(a.get("size").asLong());
            assertThat(sha256(file.body())).as(a.get("name").asString()).isEqualTo(a.get("sha256").asString());
        }
        assertThat(done.get("artifacts").findValuesAsString("name")).contains("firmware.tar", "firmware.tar.minisig", "sbom.cdx.json", "rootfs.squashfs", "manifest.json");

        JsonNode report = json("GET", "/api/v1/builds/" + id + "/report");
        assertThat(report.get("packages").findValuesAsString("name")).contains("busybox-static", "ppp", "dnsmasq-base");
        assertThat(report.get("serviceNodes").findValuesAsString("name")).contains("wan.link.pppoe", "defaultroute", "dnsmasq", "nat");
        assertThat(report.get("kernelFeatures").findValuesAsString("feature")).contains("squashfs", "pppoe");
        assertThat(report.get("sizeByPackage").size()).isGreaterThan(3);

        String log = call("GET", "/api/v1/builds/" + id + "/log").body();
        assertThat(log).contains("spec hash").doesNotContain("secret");
    }

    /** The signature downloads under the bundle's name plus .minisig; the page shows the key and the minisign command. */
    @Test
    @Order(2)
    void theSignatureIsOfferedBesideTheBundleAndThePageShowsTheKey() throws Exception {
        JsonNode key = json("GET", "/api/v1/signing-key");
        String bundle = "api-build-" + firstBuild + "-firmware.tar";
        HttpResponse<String> sig = call("GET", "/api/v1/builds/" + firstBuild + "/artifacts/firmware.tar.minisig");
        assertThat(sig.statusCode()).isEqualTo(200);
        assertThat(sig.headers().firstValue("Content-Disposition")).hasValueSatisfying(d -> assertThat(d).contains(bundle + ".minisig"));
        assertThat(sig.body()).startsWith("untrusted comment: ").contains("\ntrusted comment: file:firmware.tar\tprofile:api-build\t");
        assertThat(dev.routerstudio.pipeline.MinisignKey.keyIdOf(sig.body())).isEqualTo(key.get("keyId").asString());

        // Debian's minisign checks the two downloads, saved under the names the studio gives them, with the API's key
        boolean installed = new java.io.File("/usr/bin/minisign").canExecute();
        if (System.getenv("CI") != null || installed) {
            java.nio.file.Path dir = java.nio.file.Path.of("target/downloads-" + firstBuild).toAbsolutePath();
            java.nio.file.Files.createDirectories(dir);
            HttpResponse<java.nio.file.Path> tar = HTTP.send(request("/api/v1/builds/" + firstBuild + "/artifacts/firmware.tar").build(),
                    HttpResponse.BodyHandlers.ofFile(dir.resolve(bundle)));
            assertThat(tar.headers().firstValue("Content-Disposition")).hasValueSatisfying(d -> assertThat(d).contains(bundle));
            java.nio.file.Files.writeString(dir.resolve(bundle + ".minisig"), sig.body());
            Process p = new ProcessBuilder("minisign", "-V", "-P", key.get("publicKey").asString(), "-m", dir.resolve(bundle).toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(out).isZero();
            assertThat(out).contains("Signature and comment signature verified");
        }

        String page = call("GET", "/builds/" + firstBuild).body();
        // The example has the firewall: the page shows its generated ruleset and its node in the service graph.
        assertThat(page).contains("id=\"firewall-ruleset\"").contains("table inet studio_fw {")
                .contains("aria-label=\"firewall (oneshot)\"");
        assertThat(page).contains(key.get("publicKey").asString())
                .contains("minisign -V -P " + key.get("publicKey").asString() + " -m " + bundle);
    }

    @Test
    @Order(2)
    void anIdenticalBuildIsReturnedAtOnce() throws Exception {
        HttpResponse<String> again = call("POST", "/api/v1/profiles/api-build/builds");
        assertThat(again.statusCode()).isEqualTo(200);
        JsonNode b = JSON.readTree(again.body());
        assertThat(b.get("id").asLong()).isEqualTo(firstBuild);
        assertThat(b.get("cacheHit").asBoolean()).isTrue();
    }

    @Test
    @Order(3)
    void theLogStreamsAsServerSentEventsAndResumes() throws Exception {
        HttpResponse<String> all = HTTP.send(request("/api/v1/builds/" + firstBuild + "/log")
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(all.headers().firstValue("Content-Type")).hasValueSatisfying(c -> assertThat(c).startsWith("text/event-stream"));
        assertThat(all.body()).contains("id:1\n").contains("event:end");
        HttpResponse<String> resumed = HTTP.send(request("/api/v1/builds/" + firstBuild + "/log")
                .header("Accept", "text/event-stream").header("Last-Event-ID", "3").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(resumed.body()).doesNotContain("id:3\n").contains("id:4\n");
    }

    @Test
    @Order(4)
    void anUnknownPackageFailsAtResolveWithASuggestion() throws Exception {
        ProfileSpec example = profiles.specWithSecrets("example-pppoe");
        ProfileSpec typo = new ProfileSpec("typo", null, "gw", "malta-mipsel", example.interfaces(), example.wan(),
                List.of("tcpdmp"), List.of(), List.of());
        profiles.create(typo);
        long id = json("POST", "/api/v1/profiles/typo/builds").get("id").asLong();
        JsonNode done = waitFor(id);
        assertThat(done.get("status").asString()).isEqualTo("FAILED");
        assertThat(done.get("error").asString()).contains("tcpdmp").contains("tcpdump");
        assertThat(done.get("stage").asString()).isEqualTo("resolve");
        assertThat(call("GET", "/api/v1/builds/" + id + "/artifacts/firmware.tar").statusCode()).isEqualTo(404);
    }

    @Test
    @Order(5)
    void aBuildRunningWhenItsNodeStoppedIsQueuedAgainOnceThenFailedAsInterrupted() throws Exception {
        String spec = ProfileJson.write(profiles.get("example-pppoe").spec());
        // A first attempt the node was running when it stopped: queued again, and it runs to the end.
        jdbc.update("INSERT INTO build (profile_name, profile_version, status, stage, spec_json, created_at, started_at, worker, attempt) "
                + "VALUES ('example-pppoe', 1, 'RUNNING', 'rootfs', ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, ?, 1)", spec, node.name());
        long retried = jdbc.queryForObject("SELECT MAX(id) FROM build", Long.class);
        // A second attempt: failed as interrupted, nothing served.
        jdbc.update("INSERT INTO build (profile_name, profile_version, status, stage, spec_json, created_at, started_at, worker, attempt) "
                + "VALUES ('example-pppoe', 1, 'RUNNING', 'rootfs', ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, ?, 2)", spec, node.name());
        long failed = jdbc.queryForObject("SELECT MAX(id) FROM build", Long.class);
        recovery.recover();

        Build b = builds.get(failed);
        assertThat(b.getStatus()).isEqualTo(BuildStatus.FAILED);
        assertThat(b.getError()).startsWith("interrupted").contains(node.name() + " stopped while it ran");
        assertThat(builds.artifact(b, "firmware.tar")).isEmpty();

        JsonNode again = waitFor(retried);
        assertThat(again.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(again.get("attempt").asInt()).isEqualTo(2);
        assertThat(again.get("worker").asString()).isEqualTo(node.name());
        assertThat(call("GET", "/api/v1/builds/" + retried + "/log").body())
                .contains("taken over by " + node.name() + ": " + node.name() + " stopped while it ran; queued again (attempt 2 of 2)");
    }

    @Test
    @Order(6)
    void unknownBuildsAndProfilesAreProblems() throws Exception {
        assertThat(call("GET", "/api/v1/builds/999999").statusCode()).isEqualTo(404);
        assertThat(call("POST", "/api/v1/profiles/nobody/builds").statusCode()).isEqualTo(404);
        assertThat(call("GET", "/api/v1/builds/" + firstBuild + "/artifacts/..%2F..%2Fdb").statusCode()).isIn(400, 404);
        assertThat(call("GET", "/api/v1/builds/abc").statusCode()).isEqualTo(400);
    }

    @Test
    @Order(7)
    void queuedBuildsShowTheirPlaceAndCancellingCleansUp() throws Exception {
        ProfileSpec example = profiles.specWithSecrets("example-pppoe");
        for (String name : List.of("queue-a", "queue-b")) {
            profiles.create(new ProfileSpec(name, "queue test " + System.nanoTime(), "gw", "malta-mipsel", example.interfaces(),
                    example.wan(), example.packages(), example.services(), example.files()));
        }
        long a = json("POST", "/api/v1/profiles/queue-a/builds").get("id").asLong();
        long b = json("POST", "/api/v1/profiles/queue-b/builds").get("id").asLong();
        JsonNode queued = json("GET", "/api/v1/builds/" + b);
        assertThat(queued.get("status").asString()).isEqualTo("QUEUED");
        assertThat(queued.get("queuePosition").asLong()).isEqualTo(1);

        assertThat(json("POST", "/api/v1/builds/" + b + "/cancel").get("status").asString()).isEqualTo("CANCELLED");

        Instant deadline = Instant.now().plusSeconds(120);
        while (!json("GET", "/api/v1/builds/" + a).get("status").asString().equals("RUNNING") && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        call("POST", "/api/v1/builds/" + a + "/cancel");
        JsonNode cancelled = waitFor(a);
        assertThat(cancelled.get("status").asString()).isIn("CANCELLED", "SUCCEEDED"); // it may have just finished
        if (cancelled.get("status").asString().equals("CANCELLED")) {
            assertThat(folders.workDir(a)).doesNotExist();
            assertThat(folders.artifactsDir(a)).doesNotExist();
            assertThat(call("GET", "/api/v1/builds/" + a + "/artifacts/firmware.tar").statusCode()).isEqualTo(404);
        }
        assertThat(json("GET", "/api/v1/builds/" + b).get("status").asString()).isEqualTo("CANCELLED");
    }
}
