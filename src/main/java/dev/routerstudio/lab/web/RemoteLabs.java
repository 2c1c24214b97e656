package dev.routerstudio.lab.web;

import dev.routerstudio.lab.LabLimitException;
import dev.routerstudio.lab.LabStatus;
import dev.routerstudio.node.NodeProperties;
import dev.routerstudio.node.WorkerNodes;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * This node's calls to the node a lab runs on: the same /api/v1 lab endpoints a person uses,
 * authenticated with the nodes' shared secret instead of a person's credentials (NodeSecretFilter
 * on the other side). The other node answers for its own labs only.
 */
@Component
public class RemoteLabs {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

    /** One console event as the other node sent it: its id and its data (a JSON string, passed on as it is). */
    public record Event(long id, String data) {
    }

    /** Receives a remote console's events; returns false to stop following. */
    public interface EventSink {
        boolean accept(Event e) throws IOException;
    }

    private final NodeProperties self;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    RemoteLabs(WorkerNodes nodes) {
        this.self = nodes.self();
    }

    /** Whether this node may call others at all (it knows the shared secret). */
    public boolean enabled() {
        return self.secret() != null;
    }

    /** Boots a build on the node; empty when it is full (429), so the caller tries the next. */
    public Optional<LabStatus> bootBuild(WorkerNodes.LabNode node, long buildId, boolean shutdownCheck, LabOptions options) {
        HttpResponse<String> r = send(node, request(node, "/api/v1/builds/" + buildId + "/labs?shutdownCheck=" + shutdownCheck)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(options))));
        if (r.statusCode() == 429) {
            return Optional.empty();
        }
        return Optional.of(status(node, r, 202));
    }

    /** Sends an uploaded firmware.tar on (streamed from the file, multipart as the API takes it); empty when the node is full. */
    public Optional<LabStatus> bootUpload(WorkerNodes.LabNode node, Path firmware, boolean shutdownCheck) {
        String boundary = "studio-" + UUID.randomUUID();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"firmware\"; filename=\"firmware.tar\"\r\n"
                + "Content-Type: application/x-tar\r\n\r\n";
        HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofString(head),
                    HttpRequest.BodyPublishers.ofFile(firmware), HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n"));
        } catch (IOException e) {
            throw new NodeUnreachableException("cannot read the upload to send it to " + node.name() + ": " + e.getMessage());
        }
        HttpResponse<String> r = send(node, request(node, "/api/v1/labs?shutdownCheck=" + shutdownCheck)
                .timeout(Duration.ofMinutes(10))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(body));
        if (r.statusCode() == 429) {
            return Optional.empty();
        }
        if (r.statusCode() == 400) {
            throw new BundleRejectedException(detail(r));
        }
        return Optional.of(status(node, r, 202));
    }

    /** The lab's status, or empty when the node no longer knows it. */
    public Optional<LabStatus> status(WorkerNodes.LabNode node, String id) {
        HttpResponse<String> r = send(node, request(node, "/api/v1/labs/" + encode(id)).GET());
        return r.statusCode() == 404 ? Optional.empty() : Optional.of(status(node, r, 200));
    }

    /** The node's own labs. */
    public List<LabStatus> list(WorkerNodes.LabNode node) {
        HttpResponse<String> r = send(node, request(node, "/api/v1/labs").GET());
        expect(node, r, 200);
        try {
            return List.of(JSON.readValue(r.body(), LabStatus[].class));
        } catch (JacksonException e) {
            throw new NodeUnreachableException(node.name() + " sent a lab list this node cannot read: " + e.getOriginalMessage());
        }
    }

    public void type(WorkerNodes.LabNode node, String id, String console, String text) {
        HttpResponse<String> r = send(node, request(node, "/api/v1/labs/" + encode(id) + "/console/" + encode(console))
                .header("Content-Type", "text/plain;charset=UTF-8").POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8)));
        expect(node, r, 204);
    }

    public void factoryReset(WorkerNodes.LabNode node, String id) {
        expect(node, send(node, request(node, "/api/v1/labs/" + encode(id) + "/factory-reset").POST(HttpRequest.BodyPublishers.noBody())), 202);
    }

    public void upgrade(WorkerNodes.LabNode node, String id, long buildId) {
        expect(node, send(node, request(node, "/api/v1/labs/" + encode(id) + "/upgrade").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"buildId\": " + buildId + "}"))), 202);
    }

    /** Stops the lab; false when the node no longer knew it. */
    public boolean stop(WorkerNodes.LabNode node, String id) {
        HttpResponse<String> r = send(node, request(node, "/api/v1/labs/" + encode(id)).DELETE());
        if (r.statusCode() == 404) {
            return false;
        }
        expect(node, r, 204);
        return true;
    }

    /**
     * Follows a console on the node: its server-sent events, from after lastEventId, each handed to
     * sink until the node ends the stream or the sink says stop. Blocks; returns normally when the
     * stream ended (the lab stopped), throws when the node could not be reached.
     */
    public void follow(WorkerNodes.LabNode node, String id, String console, long lastEventId, EventSink sink) throws IOException, InterruptedException {
        HttpRequest.Builder b = request(node, "/api/v1/labs/" + encode(id) + "/console/" + encode(console))
                .timeout(Duration.ofDays(1)).setHeader("Accept", "text/event-stream").GET();
        if (lastEventId > 0) {
            b.header("Last-Event-ID", Long.toString(lastEventId));
        }
        HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body(); BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            if (r.statusCode() != 200) {
                throw new NodeUnreachableException(node.name() + " answered " + r.statusCode() + " for the console of lab " + id);
            }
            long eventId = -1;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (eventId >= 0 && !data.isEmpty() && !sink.accept(new Event(eventId, data.toString()))) {
                        return;
                    }
                    eventId = -1;
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    eventId = Long.parseLong(line.substring(3).strip());
                } else if (line.startsWith("data:")) {
                    data.append(data.isEmpty() ? "" : "\n").append(line.substring(line.startsWith("data: ") ? 6 : 5));
                }
                // comments (": keep-alive") and other fields carry nothing to pass on
            }
        }
    }

    private HttpRequest.Builder request(WorkerNodes.LabNode node, String path) {
        return HttpRequest.newBuilder(URI.create(node.url() + path)).timeout(CALL_TIMEOUT)
                .header(NodeProperties.SECRET_HEADER, self.secret())
                .header("Accept", "application/json");
    }

    private HttpResponse<String> send(WorkerNodes.LabNode node, HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new NodeUnreachableException("worker " + node.name() + " (" + node.url() + ") did not answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeUnreachableException("interrupted while calling worker " + node.name());
        }
    }

    private static LabStatus status(WorkerNodes.LabNode node, HttpResponse<String> r, int expected) {
        expect(node, r, expected);
        try {
            return JSON.readValue(r.body(), LabStatus.class);
        } catch (JacksonException e) {
            throw new NodeUnreachableException(node.name() + " sent a lab this node cannot read: " + e.getOriginalMessage());
        }
    }

    private static void expect(WorkerNodes.LabNode node, HttpResponse<String> r, int expected) {
        if (r.statusCode() == expected) {
            return;
        }
        if (r.statusCode() == 409) {
            throw new LabRefusedException(detail(r));
        }
        if (r.statusCode() == 404) {
            throw new NodeUnreachableException("worker " + node.name() + " does not know it: " + detail(r));
        }
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            throw new NodeUnreachableException("worker " + node.name() + " refused this node (" + r.statusCode()
                    + "): both must have the same studio.node.secret");
        }
        throw new NodeUnreachableException("worker " + node.name() + " answered " + r.statusCode() + ": " + detail(r));
    }

    /** The detail of a problem+json answer, or the start of whatever came. */
    private static String detail(HttpResponse<String> r) {
        try {
            JsonNode problem = JSON.readTree(r.body());
            if (problem.hasNonNull("detail")) {
                return problem.get("detail").asString();
            }
        } catch (JacksonException ignored) {
            // not JSON
        }
        String body = r.body() == null ? "" : r.body().strip();
        return body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Thrown on from here as a limit: every node with slots was full. */
    static LabLimitException full(int tried) {
        return new LabLimitException("every lab slot is taken (this node and " + tried + " worker" + (tried == 1 ? "" : "s")
                + " that take labs); stop a lab (DELETE /api/v1/labs/{id}) or start another worker, then try again");
    }
}
