package dev.routerstudio.lab.web;

import dev.routerstudio.TestClients;
import dev.routerstudio.account.AccountService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.maven.plugin.surefire.log.api.NullConsoleLogger;
import org.apache.maven.plugins.surefire.report.ReportTestCase;
import org.apache.maven.plugins.surefire.report.ReportTestSuite;
import org.apache.maven.plugins.surefire.report.TestSuiteXmlParser;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example PPPoE profile verified through the REST API against the emulated ISP, as a CI job
 * would: every check passes (JUnit XML), the console resumes, the evidence stays, stopping ends
 * QEMU; against a line whose password is another, verify fails with the evidence.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LabApiTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    AccountService accounts;

    String token;

    HttpRequest.Builder request(String path) {
        if (token == null) {
            token = accounts.issueToken("admin", "lab-test").secret();
        }
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(60));
    }

    JsonNode json(String method, String path) throws Exception {
        return JSON.readTree(HTTP.send(request(path).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    /** Reads SSE events from a console until one carries the text, or the time runs out; returns the last event id seen. */
    long readUntil(String lab, String node, long after, String wanted, Duration limit, StringBuilder seen) throws Exception {
        HttpRequest.Builder b = request("/api/v1/labs/" + lab + "/console/" + node).header("Accept", "text/event-stream");
        if (after > 0) {
            b.header("Last-Event-ID", Long.toString(after));
        }
        HttpResponse<java.io.InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        long last = after;
        CompletableFuture<Void> timeout = CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(limit.toMillis(), TimeUnit.MILLISECONDS))
                .thenRun(() -> {
                    try {
                        r.body().close();
                    } catch (Exception ignored) {
                        // closing ends the read below
                    }
                });
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("id:")) {
                    last = Long.parseLong(line.substring(3).trim());
                } else if (line.startsWith("data:")) {
                    seen.append(JSON.readValue(line.substring(5), String.class));
                    if (seen.toString().contains(wanted)) {
                        return last;
                    }
                }
            }
        } catch (java.io.IOException e) {
            // closed by the timeout
        } finally {
            timeout.cancel(true);
        }
        throw new AssertionError("console of " + node + " did not show '" + wanted + "'; last 500 chars: "
                + seen.substring(Math.max(0, seen.length() - 500)));
    }

    /** POST upgrade with this body and its answer. */
    HttpResponse<String> upgrade(String lab, String body) throws Exception {
        return HTTP.send(request("/api/v1/labs/" + lab + "/upgrade").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POST verify and its answer. */
    HttpResponse<String> verify(String profile, String accept, String body) throws Exception {
        return HTTP.send(request("/api/v1/profiles/" + profile + "/verify").timeout(Duration.ofMinutes(15)).header("Accept", accept)
                .header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The evidence tar's entries and their text. */
    Map<String, String> evidence(String lab) throws Exception {
        HttpResponse<byte[]> r = HTTP.send(request("/api/v1/labs/" + lab + "/evidence").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, String> entries = new TreeMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(r.body()))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                entries.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return entries;
    }

    /**
     * verify, as a CI job calls it: the example is built, booted with every check and powered off;
     * its JUnit XML, read by surefire's own parser, has no failure; the evidence stays; the build's
     * page lists the lab as passed; the console still resumes after an event id.
     */
    @Test
    void verifyTheExampleEveryCheckPassesAndTheJunitSaysSo() throws Exception {
        CompletableFuture<HttpResponse<String>> verifying = CompletableFuture.supplyAsync(() -> {
            try {
                return verify("example-pppoe", "application/xml", null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // While its checks run, a factory reset over REST is refused (it would pull the router away from them).
        String running = null;
        Instant found = Instant.now().plusSeconds(300);
        while (running == null && Instant.now().isBefore(found) && !verifying.isDone()) {
            for (JsonNode l : json("GET", "/api/v1/labs")) {
                if (l.get("state").asString().equals("RUNNING") && l.get("checks").findValuesAsString("status").contains("PENDING")) {
                    running = l.get("id").asString();
                }
            }
            Thread.sleep(500);
        }
        assertThat(running).as("verify's lab, seen running").isNotNull();
        HttpResponse<String> early = HTTP.send(request("/api/v1/labs/" + running + "/factory-reset")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(early.statusCode()).as(early.body()).isEqualTo(409);
        assertThat(early.body()).contains("still running");
        // ... and so is an upgrade, to any build; one without a build says which field it lacks
        String runningBuild = json("GET", "/api/v1/labs/" + running).get("buildId").asString();
        HttpResponse<String> upgradeEarly = upgrade(running, "{\"buildId\": " + runningBuild + "}");
        assertThat(upgradeEarly.statusCode()).as(upgradeEarly.body()).isEqualTo(409);
        assertThat(upgradeEarly.body()).contains("still running");
        HttpResponse<String> noBuild = upgrade(running, "{}");
        assertThat(noBuild.statusCode()).as(noBuild.body()).isEqualTo(400);
        assertThat(JSON.readTree(noBuild.body()).get("errors").get(0).get("field").asString()).isEqualTo("buildId");

        HttpResponse<String> answer = verifying.get(15, TimeUnit.MINUTES);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("X-Verify-Verdict")).as(answer.body()).hasValue("passed");
        Path xml = Files.createTempFile("verify-", ".xml");
        Files.writeString(xml, answer.body());
        List<ReportTestSuite> suites = new TestSuiteXmlParser(new NullConsoleLogger()).parse(xml.toString());
        assertThat(suites).hasSize(1);
        ReportTestSuite suite = suites.get(0);
        assertThat(suite.getNumberOfFailures()).as(answer.body()).isZero();
        assertThat(suite.getNumberOfErrors()).isZero();
        assertThat(suite.getTestCases()).extracting(ReportTestCase::getName).contains("boot", "wan-up-ppp", "routes", "dns", "lan-nat",
                "restart", "wan-closed", "no-forward-in", "ipv6-wan", "ipv6-lan", "restart-ipv6", "path", "link-loss-ppp", "lossy-line",
                "isp-restart", "persist", "shutdown");
        // surefire's parser files a skip as a "failure" of type skipped: anything else is a real failure
        assertThat(suite.getTestCases()).allSatisfy(c -> assertThat(c.getFailureMessage() == null || "skipped".equals(c.getFailureType()))
                .as(c.getName() + ": " + c.getFailureMessage()).isTrue());
        // The example forwards no port: that check is skipped, everything else passed.
        assertThat(suite.getNumberOfSkipped()).isEqualTo(1);
        assertThat(answer.body()).contains("<skipped message=").contains("<system-out>");

        String lab = answer.body().replaceAll("(?s).*<property name=\"lab\" value=\"([0-9a-f]{8})\".*", "$1");
        String build = answer.body().replaceAll("(?s).*<property name=\"build\" value=\"(\\d+)\".*", "$1");
        Map<String, String> evidence = evidence(lab);
        assertThat(evidence.keySet()).contains("evidence-" + lab + "/checks.json", "evidence-" + lab + "/manifest.json",
                "evidence-" + lab + "/consoles/router.log", "evidence-" + lab + "/consoles/isp.log", "evidence-" + lab + "/consoles/lan.log");
        assertThat(evidence.get("evidence-" + lab + "/consoles/router.log")).contains("Linux version").contains("stage1: starting s6-svscan")
                // the kernel's info lines stay off the console once stage 1 runs (the NICs come up, and go down and up in
                // link-loss, only after it): they are not what a person typed
                .doesNotContain("eth0: link up").doesNotContain("eth0: link down")
                // nor does the boot runner's waiting print the event it woke on (s6-ftrig-listen1's "r")
                .doesNotContainPattern("(?m)^r\\r?$");
        assertThat(evidence.keySet()).contains("evidence-" + lab + "/pcaps/access.pcap", "evidence-" + lab + "/pcaps/lan.pcap");
        // isp-restart power-cycled the ISP: its console (one record) holds two boots
        assertThat(count(evidence.get("evidence-" + lab + "/consoles/isp.log"), "peer: role isp-pppoe ready")).isEqualTo(2);
        // persist rebooted the router twice, each time into a new QEMU on the same console: the whole console holds
        // three boots, and the status counts the two reboots
        assertThat(count(evidence.get("evidence-" + lab + "/consoles/router.log"), "Linux version")).isEqualTo(3);
        JsonNode verdict = JSON.readTree(evidence.get("evidence-" + lab + "/checks.json"));
        assertThat(verdict.at("/nodes/0/name").asString()).isEqualTo("router");
        assertThat(verdict.at("/nodes/0/reboots").asInt()).isEqualTo(2);
        JsonNode checks = verdict.get("checks");
        assertThat(checks.findValuesAsString("status")).doesNotContain("FAILED", "PENDING", "RUNNING");
        for (JsonNode c : checks) {
            if (c.get("name").asString().equals("persist")) {
                assertPersisted(c.get("excerpt").asString());
            }
        }
        assertThat(checks.findValuesAsString("name")).contains("persist");
        assertThat(HTTP.send(request("/builds/" + build).build(), HttpResponse.BodyHandlers.ofString()).body())
                .contains("lab-run-" + lab).contains("passed");

        // The router is off, its console closed: the scrollback is still there, and resuming after the
        // event seen gives what came next, not the scrollback again.
        StringBuilder console = new StringBuilder();
        long at = readUntil(lab, "router", 0, "Linux version", Duration.ofSeconds(30), console);
        StringBuilder resumed = new StringBuilder();
        readUntil(lab, "router", at, "stage1: starting s6-svscan", Duration.ofSeconds(30), resumed);
        assertThat(resumed.toString()).doesNotContain("Linux version");

        // powered off by the shutdown check: nothing left to upgrade
        HttpResponse<String> off = upgrade(lab, "{\"buildId\": " + build + "}");
        assertThat(off.statusCode()).as(off.body()).isEqualTo(409);
        assertThat(off.body()).contains("powered off");

        linksOfAFinishedLab(lab);
        assertThat(HTTP.send(request("/api/v1/labs/" + lab).DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
        linksAfterTheLabStopped(lab);
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains("/" + lab + "/")
                && p.info().commandLine().orElse("").contains("/labs/")).toList()).as("QEMU processes of the stopped lab").isEmpty();
        assertThat(HTTP.send(request("/api/v1/labs/" + lab).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        // ... and the evidence outlives it.
        assertThat(evidence(lab)).containsKey("evidence-" + lab + "/consoles/router.log");
    }

    /**
     * The persist check's transcript (its excerpt in checks.json): the file and the hostname before the reboot, the same file
     * (same stamp) and hostname after it, the store formatted for the factory reset, then both gone.
     */
    static void assertPersisted(String t) {
        java.util.regex.Matcher kept = java.util.regex.Pattern.compile("(?m)^kept \\d+-\\d+$").matcher(t);
        assertThat(kept.find()).as("the file before the reboot: " + t).isTrue();
        String stamp = kept.group();
        int reboot = t.indexOf("reboot: Restarting system");
        int reset = t.indexOf("formatting the writable store /dev/vda (factory reset)");
        assertThat(reboot).as("the reboot in the transcript: " + t).isGreaterThan(kept.end());
        assertThat(t.indexOf(stamp, reboot)).as("the same file after the reboot: " + t).isGreaterThan(reboot).isLessThan(reset);
        assertThat(t.substring(reboot, reset)).contains("rs-persist");
        assertThat(t.substring(reset)).contains("can't open '/etc/persist-check': No such file or directory").doesNotContain("rs-persist")
                .doesNotContain(stamp);
    }

    /** A line whose real password is not the profile's: verify fails at the WAN, with pppd's words in the evidence. */
    @Test
    void verifyAgainstTheLinesRealPasswordFailsAWrongProfileWithTheEvidence() throws Exception {
        HttpResponse<String> refused = verify("example-pppoe", "application/json", "{\"isp\": {\"password\": \"bad\\u0007bell\"}}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).at("/errors/0/field").asString()).isEqualTo("isp.password");
        HttpResponse<String> needed = verify("example-pppoe", "application/json", "{\"leaveOut\": [\"persist\", \"wan-up\"]}");
        assertThat(needed.statusCode()).as(needed.body()).isEqualTo(400);
        assertThat(JSON.readTree(needed.body()).get("errors").findValuesAsString("message"))
                .contains("routes needs the wan-up check: leave routes out too, or keep wan-up");

        // the reboots and the closed-port scan would only repeat the first test's (and cost two minutes)
        HttpResponse<String> answer = verify("example-pppoe", "application/json",
                "{\"isp\": {\"password\": \"the line's real password\"}, \"leaveOut\": [\"persist\", \"wan-closed\"]}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("X-Verify-Verdict")).hasValue("failed");
        JsonNode verdict = JSON.readTree(answer.body());
        assertThat(verdict.get("verdict").asString()).isEqualTo("failed");
        assertThat(verdict.get("failures").asInt()).isPositive();
        JsonNode wan = null;
        for (JsonNode c : verdict.get("checks")) {
            if (c.get("name").asString().equals("wan-up-ppp")) {
                wan = c;
            }
        }
        assertThat(wan).isNotNull();
        assertThat(wan.get("status").asString()).isEqualTo("FAILED");
        assertThat(wan.get("detail").asString()).containsPattern("(CHAP|PAP) authentication fail|failed (CHAP|PAP) authentication");
        // what needs the WAN is not run, so a wrong password costs one WAN timeout at most, not every check's
        for (JsonNode c : verdict.get("checks")) {
            if (c.get("name").asString().equals("routes")) {
                assertThat(c.get("detail").asString()).contains("not run: it needs the wan-up check");
            }
        }
        assertThat(verdict.get("checks").findValuesAsString("name")).contains("routes").doesNotContain("persist", "wan-closed");
        String lab = verdict.get("lab").asString();
        Map<String, String> evidence = evidence(lab);
        assertThat(evidence.get("evidence-" + lab + "/consoles/router.log") + evidence.get("evidence-" + lab + "/consoles/isp.log"))
                .containsPattern("(CHAP|PAP) authentication fail|failed (CHAP|PAP) authentication");
        assertThat(HTTP.send(request("/builds/" + verdict.get("build").asLong()).build(), HttpResponse.BodyHandlers.ofString()).body())
                .contains("lab-run-" + lab).contains("failed");
        HTTP.send(request("/api/v1/labs/" + lab).DELETE().build(), HttpResponse.BodyHandlers.discarding());
    }

    private static int count(CharSequence text, String what) {
        return text.toString().split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }

    HttpResponse<String> postLink(String lab, String link, String body) throws Exception {
        return HTTP.send(request("/api/v1/labs/" + lab + "/links/" + link).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The links of verify's lab (its router powered off at the end): listed, summarised, changed with field errors. */
    void linksOfAFinishedLab(String lab) throws Exception {
        JsonNode links = json("GET", "/api/v1/labs/" + lab + "/links");
        assertThat(links.findValuesAsString("name")).containsExactly("access", "lan");
        assertThat(links.get(0).get("state").asString()).isEqualTo("up");
        assertThat(links.get(0).get("frames").asLong()).isPositive();
        assertThat(links.get(0).get("ends").findValuesAsString("node")).containsExactly("router", "isp");
        JsonNode frames = json("GET", "/api/v1/labs/" + lab + "/links/access/frames?limit=2000");
        assertThat(frames.get("lines").findValuesAsString("summary")).anyMatch(l -> l.matches("(vlan \\d+ )?PADI"))
                .anyMatch(l -> l.matches("(vlan \\d+ )?PADO ac \\S+")).anyMatch(l -> l.matches("(vlan \\d+ )?IPCP ConfAck id \\d+"));
        assertThat(frames.get("lines").findValuesAsString("protocol")).contains("PPPoE", "LCP", "IPCP");

        HttpResponse<String> bad = postLink(lab, "access", "{\"state\":\"sideways\",\"lossPercent\":120,\"delayMs\":\"soon\",\"colour\":1}");
        assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(bad.body());
        assertThat(problem.get("errors").findValuesAsString("field")).containsExactly("state", "lossPercent", "delayMs", "colour");
        for (String b : List.of("", "{", "[1]", "{}", "{\"jitterMs\":-5}")) {
            HttpResponse<String> r = postLink(lab, "access", b);
            assertThat(r.statusCode()).as(b + " → " + r.body()).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).get("errors")).as(b).isNotNull();
        }
        assertThat(postLink(lab, "nope", "{\"state\":\"down\"}").statusCode()).isEqualTo(404);

        HttpResponse<String> down = postLink(lab, "access", "{\"state\":\"down\"}");
        assertThat(down.statusCode()).as(down.body()).isEqualTo(200);
        assertThat(JSON.readTree(down.body()).get("state").asString()).isEqualTo("down");
        HttpResponse<String> up = postLink(lab, "access", "{\"state\":\"up\",\"lossPercent\":20,\"delayMs\":80,\"jitterMs\":10}");
        assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
        JsonNode imp = JSON.readTree(up.body()).get("impairment");
        assertThat(imp.get("lossPercent").asDouble()).isEqualTo(20.0);
        assertThat(imp.get("delayMs").asInt()).isEqualTo(80);
        assertThat(postLink(lab, "access", "{\"lossPercent\":0,\"delayMs\":0,\"jitterMs\":0}").statusCode()).isEqualTo(200);
    }

    /** After DELETE the capture is still there: a pcap with the PPPoE discovery; changes are refused. */
    void linksAfterTheLabStopped(String lab) throws Exception {
        HttpResponse<byte[]> pcap = HTTP.send(request("/api/v1/labs/" + lab + "/links/access/pcap").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(pcap.statusCode()).isEqualTo(200);
        assertThat(pcap.headers().firstValue("Content-Type")).hasValue("application/vnd.tcpdump.pcap");
        assertThat(pcap.headers().firstValue("Content-Disposition")).hasValueSatisfying(d -> assertThat(d).contains("lab-" + lab + "-access.pcap"));
        dev.routerstudio.lab.link.PcapFile file = dev.routerstudio.lab.link.PcapFile.parse(pcap.body());
        assertThat(file.linktype()).isEqualTo(1);
        assertThat(file.records().stream().map(dev.routerstudio.lab.link.PcapFile.Record::data)
                .filter(f -> dev.routerstudio.lab.link.PcapFile.ethertype(f) == 0x8863).map(dev.routerstudio.lab.link.PcapFile::pppoeCode).toList())
                .contains(0x09, 0x07, 0x19, 0x65);
        HttpResponse<String> late = postLink(lab, "access", "{\"state\":\"down\"}");
        assertThat(late.statusCode()).as(late.body()).isEqualTo(409);
        assertThat(HTTP.send(request("/api/v1/labs/nope/links").build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    }

    @Test
    void onlySucceededBuildsBootAndUnknownLabsAre404() throws Exception {
        assertThat(HTTP.send(request("/api/v1/builds/987654/labs").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        assertThat(HTTP.send(request("/api/v1/labs/nope").build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        assertThat(HTTP.send(request("/api/v1/labs/nope/console/router").header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        assertThat(HTTP.send(request("/api/v1/labs/nope/factory-reset").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        assertThat(upgrade("nope", "{\"buildId\": 1}").statusCode()).isEqualTo(404);
        // the operation is in the OpenAPI document
        assertThat(HTTP.send(request("/v3/api-docs").build(), HttpResponse.BodyHandlers.ofString()).body())
                .contains("/api/v1/labs/{id}/upgrade").contains("Upgrade the lab's router to another build");
        assertThat(List.of()).isEmpty();
    }
    @Autowired
    dev.routerstudio.build.BuildService builds;

    @Autowired
    dev.routerstudio.StudioProperties studio;

    /** POST a peer VM: the descriptor as JSON, then each file given (name → file), streamed from disk. */
    HttpResponse<String> uploadPeer(String descriptor, Map<String, Path> files) throws Exception {
        String boundary = "peer-" + java.util.UUID.randomUUID();
        List<HttpRequest.BodyPublisher> parts = new java.util.ArrayList<>();
        parts.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"descriptor\"\r\n"
                + "Content-Type: application/json\r\n\r\n" + descriptor + "\r\n"));
        for (Map.Entry<String, Path> f : files.entrySet()) {
            parts.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey()
                    + "\"; filename=\"" + f.getValue().getFileName() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n"));
            parts.add(HttpRequest.BodyPublishers.ofFile(f.getValue()));
            parts.add(HttpRequest.BodyPublishers.ofString("\r\n"));
        }
        parts.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "--\r\n"));
        return HTTP.send(request("/api/v1/peers").header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(parts.toArray(HttpRequest.BodyPublisher[]::new))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String peerDescriptor(String name, String arch, String append, String ready, int readySeconds) {
        return "{\"name\": \"" + name + "\", \"arch\": \"" + arch + "\", \"memoryMb\": 256, \"append\": \"" + append + "\", "
                + "\"ready\": \"" + ready + "\", \"readySeconds\": " + readySeconds + ", \"world\": true, \"ipv6\": true, "
                + "\"consoleLines\": [\"mkdir -p /tmp/ppp && cp -a /etc/ppp/. /tmp/ppp/ && mount --bind /tmp/ppp /config/ppp\", "
                + "\"printf '%s * %s *\\\\n' {{sh:username}} {{sh:password}} > /etc/ppp/chap-secrets && cp /etc/ppp/chap-secrets /etc/ppp/pap-secrets\"]}";
    }

    /** Boots the build's lab against a peer VM that cannot serve: the lab FAILED, none of its QEMUs left; its error. */
    String failedLab(long build, String peer) throws Exception {
        HttpResponse<String> booted = HTTP.send(request("/api/v1/builds/" + build + "/labs").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"peer\": \"" + peer + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(booted.statusCode()).as(booted.body()).isEqualTo(202);
        String lab = JSON.readTree(booted.body()).get("id").asString();
        JsonNode status = json("GET", "/api/v1/labs/" + lab);
        Instant failed = Instant.now().plusSeconds(120);
        while (!status.get("state").asString().equals("FAILED") && Instant.now().isBefore(failed)) {
            Thread.sleep(500);
            status = json("GET", "/api/v1/labs/" + lab);
        }
        assertThat(status.get("state").asString()).as(status.toString()).isEqualTo("FAILED");
        assertThat(qemusOf(lab)).as("QEMUs of the failed lab").isEmpty();
        HTTP.send(request("/api/v1/labs/" + lab).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        return status.get("error").asString();
    }

    /** The studio's QEMUs of a lab (its id in their -name), by their command lines. */
    static List<String> qemusOf(String lab) {
        return ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                .filter(c -> c.contains("routerstudio-lab:" + lab + ":")).toList();
    }

    /**
     * Your own peer VM: an x86_64 PPPoE server from Debian amd64 packages, uploaded over REST as a
     * user would (kernel, initrd, raw disk, a descriptor whose console lines set the line's
     * password — its disk holds another), verified against the example: the router's PPPoE
     * checks pass, the checks that need the ISP's shell are skipped saying why. A disk that is
     * no disk and a kernel of the wrong CPU are refused with the field; an image that never says
     * it is ready fails its lab's start with the reason and leaves no QEMU.
     */
    @Test
    void anUploadedX86PeerVmServesThePppoeChecksAndABadOneIsRefusedCleanly() throws Exception {
        var build = builds.submit("example-pppoe", "admin").build();
        Instant built = Instant.now().plusSeconds(600);
        while (!build.getStatus().finished() && Instant.now().isBefore(built)) {
            Thread.sleep(500);
            build = builds.get(build.getId());
        }
        assertThat(build.getStatus().name()).isEqualTo("SUCCEEDED");
        dev.routerstudio.pipeline.LabDescription lab = dev.routerstudio.pipeline.LabDescription.read(
                builds.artifact(build, "lab.json").orElseThrow(), "lab.json");
        Path work = studio.dataDir().resolve("x86-peer-upload");
        dev.routerstudio.lab.X86Peer.Files x86 = dev.routerstudio.lab.X86Peer.build(lab, Path.of("target/package-cache").toAbsolutePath(), work);

        // refused, with the field and nothing stored: a text file as the disk, a kernel of another CPU
        Path text = work.resolve("notes.txt");
        Files.writeString(text, "not a disk image\n".repeat(2000));
        HttpResponse<String> notDisk = uploadPeer(peerDescriptor("bad-disk", "x86_64", x86.append(), "ready", 30),
                new java.util.LinkedHashMap<>(Map.of("disk", text, "kernel", x86.kernel())));
        assertThat(notDisk.statusCode()).as(notDisk.body()).isEqualTo(400);
        assertThat(JSON.readTree(notDisk.body()).at("/errors/0/field").asString()).isEqualTo("disk");
        assertThat(JSON.readTree(notDisk.body()).at("/errors/0/message").asString()).contains("is not a disk image");
        HttpResponse<String> wrongCpu = uploadPeer(peerDescriptor("bad-cpu", "mipsel", x86.append(), "ready", 30),
                new java.util.LinkedHashMap<>(Map.of("disk", x86.disk(), "kernel", x86.kernel())));
        assertThat(wrongCpu.statusCode()).as(wrongCpu.body()).isEqualTo(400);
        assertThat(JSON.readTree(wrongCpu.body()).at("/errors/0/message").asString()).isEqualTo("is a kernel for x86_64, but arch is mipsel: "
                + "upload a mipsel kernel, or set arch to x86_64");
        assertThat(json("GET", "/api/v1/peers").findValuesAsString("name")).doesNotContain("bad-disk", "bad-cpu");
        try (var left = Files.list(studio.dataDir().resolve("peer-vms"))) {
            assertThat(left.toList()).as("nothing of the refused uploads stays").isEmpty();
        }

        // stored, listed, described
        java.util.LinkedHashMap<String, Path> files = new java.util.LinkedHashMap<>();
        files.put("disk", x86.disk());
        files.put("kernel", x86.kernel());
        files.put("initrd", x86.initrd());
        HttpResponse<String> stored = uploadPeer(peerDescriptor("x86-pppoe", "x86_64", x86.append(), dev.routerstudio.lab.X86Peer.READY, 90), files);
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        assertThat(stored.headers().firstValue("Location")).hasValue("/api/v1/peers/x86-pppoe");
        JsonNode peer = json("GET", "/api/v1/peers/x86-pppoe");
        assertThat(peer.get("diskFormat").asString()).isEqualTo("raw");
        assertThat(peer.get("boot").asString()).isEqualTo("kernel");
        assertThat(peer.get("diskBytes").asLong()).isEqualTo(Files.size(x86.disk()));
        assertThat(HTTP.send(request("/peers").build(), HttpResponse.BodyHandlers.ofString()).body()).contains("peer-x86-pppoe");
        HttpResponse<String> again = uploadPeer(peerDescriptor("x86-pppoe", "x86_64", x86.append(), "x", 30), files);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(409);

        // verified against it, as a CI job would: every PPPoE check of the router passes (the reboots, the
        // package tools and the line faults are the first test's: they say nothing of the peer); meanwhile ...
        CompletableFuture<HttpResponse<String>> verifying = CompletableFuture.supplyAsync(() -> {
            try {
                return verify("example-pppoe", "application/json",
                        "{\"peer\": \"x86-pppoe\", \"leaveOut\": [\"persist\", \"path\", \"link-loss\", \"lossy-line\"]}");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // ... one that is never ready: the lab's start fails with why, and no QEMU of it is left
        assertThat(uploadPeer(peerDescriptor("never-ready", "x86_64", x86.append(), "this line never comes", 8), files).statusCode()).isEqualTo(201);
        assertThat(failedLab(build.getId(), "never-ready")).contains("peer VM never-ready was not ready within 8 s")
                .contains("/this line never comes/").contains("last lines of its console");
        // ... and one whose kernel was swapped on disk after the upload (for another CPU): refused at the lab's start
        assertThat(uploadPeer(peerDescriptor("swapped", "x86_64", x86.append(), "ready", 30), files).statusCode()).isEqualTo(201);
        Files.write(studio.dataDir().resolve("peer-vms").resolve("swapped").resolve("kernel"), dev.routerstudio.lab.PeerVmTest.elf(8, true));
        assertThat(failedLab(build.getId(), "swapped")).isEqualTo("peer VM swapped: its kernel is a kernel for mipsel, but arch is x86_64: "
                + "upload a x86_64 kernel, or set arch to mipsel");
        HttpResponse<String> unknown = HTTP.send(request("/api/v1/builds/" + build.getId() + "/labs").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"peer\": \"nope\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(400);
        assertThat(JSON.readTree(unknown.body()).at("/errors/0/message").asString()).contains("there is no peer VM 'nope'").contains("x86-pppoe");
        for (String gone : List.of("never-ready", "swapped")) {
            assertThat(HTTP.send(request("/api/v1/peers/" + gone).DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
            assertThat(HTTP.send(request("/api/v1/peers/" + gone).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        }

        HttpResponse<String> answer = verifying.get(15, TimeUnit.MINUTES);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode verdict = JSON.readTree(answer.body());
        assertThat(verdict.get("verdict").asString()).as(answer.body()).isEqualTo("passed");
        Map<String, JsonNode> checks = new TreeMap<>();
        verdict.get("checks").forEach(c -> checks.put(c.get("name").asString(), c));
        for (String passed : List.of("boot", "link", "wan-up-ppp", "routes", "dns", "readiness", "lan-lease", "lan-nat", "ipv6-wan", "ipv6-lan",
                "restart", "restart-ipv6", "shutdown")) {
            assertThat(checks.get(passed).get("status").asString()).as(passed + ": " + checks.get(passed)).isEqualTo("PASSED");
        }
        assertThat(checks.get("wan-up-ppp").get("excerpt").asString()).containsPattern("inet 10\\.64\\.0\\.1\\d\\d peer 10\\.64\\.0\\.1");
        for (String skipped : List.of("wan-closed", "no-forward-in", "isp-restart")) {
            assertThat(checks.get(skipped).get("status").asString()).isEqualTo("SKIPPED");
            assertThat(checks.get(skipped).get("detail").asString())
                    .isEqualTo("left out with peer VM x86-pppoe: it runs commands on the ISP's console, and the ISP is your VM");
        }
        String verified = verdict.get("lab").asString();
        JsonNode nodes = json("GET", "/api/v1/labs/" + verified).get("nodes");
        assertThat(nodes.get(1).get("role").asString()).isEqualTo("your peer VM x86-pppoe (x86_64, as isp-pppoe)");
        // the ISP was the uploaded x86_64 kernel, and the line's password came by the console lines
        String isp = evidence(verified).get("evidence-" + verified + "/consoles/isp.log");
        assertThat(isp).contains("Linux version 6.").contains("x86").contains(dev.routerstudio.lab.X86Peer.READY)
                .contains("mount --bind /tmp/ppp /config/ppp").contains("> /etc/ppp/chap-secrets");
        assertThat(HTTP.send(request("/api/v1/labs/" + verified).DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
        assertThat(qemusOf(verified)).as("QEMUs of the stopped lab").isEmpty();
        assertThat(HTTP.send(request("/api/v1/peers/x86-pppoe").DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
    }
}
