package dev.routerstudio;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The studio as its own JVM on a data dir, for tests that kill it hard and start it again. */
public final class StudioProcess implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Path dataDir;
    private final Path packageCache;
    private final int port;
    private final Map<String, String> env = new LinkedHashMap<>();
    private String logName;
    private Process process;
    private String token;

    public StudioProcess(Path dataDir, Path packageCache) throws IOException {
        this.dataDir = dataDir.toAbsolutePath();
        this.packageCache = packageCache.toAbsolutePath();
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
    }

    /** An environment variable for the studio (e.g. SPRING_DATASOURCE_URL, STUDIO_NODE_ROLE). */
    public StudioProcess env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Its output goes to NAME.log beside the data dir (several nodes may share one data dir). */
    public StudioProcess logAs(String name) {
        logName = name;
        return this;
    }

    public StudioProcess start() throws Exception {
        Files.createDirectories(dataDir);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + dataDir.resolve("tmp"), "-cp", System.getProperty("java.class.path"),
                "dev.routerstudio.RouterStudioApplication", "--server.port=" + port));
        Files.createDirectories(dataDir.resolve("tmp"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolveSibling(
                        (logName == null ? dataDir.getFileName().toString() : dataDir.getFileName() + "-" + logName) + ".log").toFile()));
        pb.environment().put("STUDIO_DATA_DIR", dataDir.toString());
        pb.environment().put("STUDIO_ADMIN_PASSWORD", TestClients.ADMIN_PASSWORD);
        pb.environment().put("STUDIO_BUILDS_PACKAGE_CACHE", packageCache.toString());
        pb.environment().putAll(env);
        process = pb.start();
        Instant deadline = Instant.now().plusSeconds(90);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(uri("/actuator/health")).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + TestClients.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
                    token = JSON.readTree(HTTP.send(HttpRequest.newBuilder(uri("/api/v1/tokens?name=test-" + port)).header("Authorization", basic)
                            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).body()).get("token").asString();
                    return this;
                }
            } catch (IOException e) {
                // not up yet
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the studio exited with " + process.exitValue() + "; see its log beside " + dataDir);
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the studio did not start within 90 s");
    }

    /** SIGKILL: no shutdown hooks, no cleanup. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public long pid() {
        return process.pid();
    }

    /** Where the studio answers, as another node would be told (studio.node.url). */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public HttpResponse<String> call(String method, String path, String jsonBody) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30));
        if (jsonBody != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A POST of text/plain (what a console takes). */
    public HttpResponse<String> postText(String path, String text) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "text/plain;charset=UTF-8").POST(HttpRequest.BodyPublishers.ofString(text)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A GET whose body is read as it comes (server-sent events), with no timeout. */
    public HttpResponse<java.io.InputStream> stream(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    public JsonNode json(String method, String path, String body) throws Exception {
        return JSON.readTree(call(method, path, body).body());
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
