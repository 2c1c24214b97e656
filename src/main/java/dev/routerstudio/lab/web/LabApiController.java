package dev.routerstudio.lab.web;

import dev.routerstudio.lab.ConsoleBuffer;
import dev.routerstudio.lab.LabStatus;
import dev.routerstudio.profile.Violation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.annotation.PreDestroy;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Labs over REST: boot a build (or an uploaded firmware.tar) against its ISP peer, read the checks, follow and type into consoles, stop. */
@RestController
@Tag(name = "Labs", description = "Boot a build in QEMU against emulated ISP peers and check that it works")
public class LabApiController {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Labs labs;
    private final ExecutorService viewers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "console-viewer");
        t.setDaemon(true);
        return t;
    });

    public LabApiController(Labs labs) {
        this.labs = labs;
    }

    /**
     * Ends every stream as soon as the studio begins to shut down: the web server's graceful
     * shutdown waits for open requests, and a viewer's stream would otherwise hold it 30 s.
     */
    @org.springframework.context.event.EventListener(org.springframework.context.event.ContextClosedEvent.class)
    @PreDestroy
    void stopViewers() {
        viewers.shutdownNow();
    }

    @PostMapping("/api/v1/builds/{id}/labs")
    @Operation(summary = "Boot a succeeded build in a lab against the peer for its WAN mode",
            description = "202 at once with the lab; the checks run while it boots. At most studio.labs.max labs run on a node at once; "
                    + "when this node is full (a web node has no slots), the lab goes to another node with a free slot (its `worker` "
                    + "says which), and this node passes its consoles, typing and stop on. 429 when every node is full. "
                    + "An optional body sets the login the lab's ISP expects ({\"isp\": {\"username\": …, \"password\": …}}; "
                    + "by default the profile's own), so a profile with a wrong password can be seen failing, and `leaveOut` names checks not "
                    + "to run, by name or family ({\"leaveOut\": [\"link-loss\", \"persist\"]}: no link fault, no reboots; 400 for a "
                    + "check the lab lacks or one a kept check needs). "
                    + "shutdownCheck=false leaves the router running instead of ending with `poweroff`.")
    public ResponseEntity<LabStatus> boot(@PathVariable long id, @RequestParam(defaultValue = "true") boolean shutdownCheck,
                                          @RequestBody(required = false) LabOptions options) {
        String lab = labs.boot(id, shutdownCheck, options == null ? LabOptions.NONE : options);
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/api/v1/labs/" + lab)).body(labs.status(lab));
    }

    @PostMapping(path = "/api/v1/labs", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Boot an uploaded firmware.tar in a lab",
            description = "For firmware built elsewhere: the bundle's lab.json says which peers to start and which checks to run, "
                    + "exactly as for a build's lab. The upload is streamed to the data dir (at most studio.labs.max-upload-size, "
                    + "default 256MB) and checked: a tar whose entries all lie under firmware/ (no '..', no absolute paths, no links), "
                    + "with firmware/vmlinuz, initramfs.cpio.xz, rootfs.squashfs and lab.json of a target this studio knows. "
                    + "202 with the lab; 400 problem+json naming what is wrong otherwise. Needs the BUILDER role.")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "202", description = "the lab is starting")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "400", description = "not a usable firmware.tar; detail says why",
            content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/problem+json"))
    public ResponseEntity<LabStatus> upload(@Parameter(description = "the firmware.tar a build produced")
                                            @RequestPart("firmware") MultipartFile firmware,
                                            @RequestParam(defaultValue = "true") boolean shutdownCheck) {
        String lab = labs.bootUpload(firmware, shutdownCheck);
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/api/v1/labs/" + lab)).body(labs.status(lab));
    }

    @GetMapping("/api/v1/labs")
    @Operation(summary = "Running and recently stopped labs, on this node and every live worker that takes labs")
    public List<LabStatus> all() {
        return labs.all();
    }

    @GetMapping("/api/v1/labs/{id}")
    @Operation(summary = "A lab's state, nodes and checks (name, status, detail, seconds, console excerpt)")
    public LabStatus get(@PathVariable String id) {
        return labs.status(id);
    }

    @GetMapping(path = "/api/v1/labs/{id}/console/{node}", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "A node's serial console as server-sent events",
            description = "Each event's data is a JSON string of console text; its id is the console position. Reconnecting with "
                    + "Last-Event-ID (or with `after`) resumes after it; without, the scrollback comes first. Nodes: router, isp, lan.")
    public SseEmitter console(@PathVariable String id, @PathVariable String node,
                              @Parameter(description = "resume after this event id (an EventSource sends it when it reconnects)")
                              @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
                              @Parameter(description = "start after this event id (0: the scrollback first); Last-Event-ID wins")
                              @RequestParam(defaultValue = "0") long after) {
        Labs.Where where = labs.locate(id);
        after = Math.max(0, after);
        if (lastEventId != null) {
            try {
                after = Math.max(0, Long.parseLong(lastEventId.trim()));
            } catch (NumberFormatException e) {
                after = 0;
            }
        }
        SseEmitter emitter = opened(new SseEmitter(0L), "console");
        long from = after;
        if (!where.local()) {
            // The lab runs on another node: its events are passed on as they come, ids and all, so a
            // viewer that reconnects here resumes where it was on the other node.
            viewers.execute(() -> {
                try {
                    labs.remote().follow(where.node(), id, node, from, e -> {
                        emitter.send(SseEmitter.event().id(Long.toString(e.id())).data(e.data(), MediaType.APPLICATION_JSON));
                        return true;
                    });
                    emitter.complete();
                } catch (IOException | RuntimeException ended) {
                    emitter.complete(); // the viewer or the other node went away, or the lab stopped (see opened)
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    emitter.complete();
                }
            });
            return emitter;
        }
        // One sender thread per viewer, pulling from the console's buffer: a slow or vanished viewer
        // only ever blocks itself, never the console reader (which the checks depend on).
        viewers.execute(() -> {
            long last = from;
            try {
                while (true) {
                    ConsoleBuffer.Batch batch = labs.readConsole(id, node, last, Duration.ofSeconds(15));
                    for (ConsoleBuffer.Event e : batch.events()) {
                        emitter.send(SseEmitter.event().id(Long.toString(e.id())).data(JSON.writeValueAsString(e.text()), MediaType.APPLICATION_JSON));
                    }
                    last = batch.lastId(last);
                    if (batch.closed()) {
                        emitter.complete();
                        return;
                    }
                    if (batch.events().isEmpty()) {
                        emitter.send(SseEmitter.event().comment("keep-alive"));
                    }
                }
            } catch (IOException | RuntimeException ended) {
                emitter.complete(); // the viewer went away, or the lab stopped (see opened)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                emitter.complete();
            }
        });
        return emitter;
    }

    /**
     * Spring sends a stream's headers with its first write. A viewer resuming at the end of a quiet
     * console would otherwise wait for the 15-second keep-alive before its EventSource opens (and the
     * page says "connecting…" all that time): a comment goes out at once. From then on the stream
     * has begun and can only end, never turn into an error answer: a stream whose lab stopped just
     * completes, and the viewer's reconnect is answered 404.
     */
    static SseEmitter opened(SseEmitter emitter, String what) { // what: a fixed word, never request input
        try {
            emitter.send(SseEmitter.event().comment(what));
        } catch (IOException e) {
            emitter.completeWithError(e); // the viewer is already gone
        }
        return emitter;
    }

    @PostMapping(path = "/api/v1/labs/{id}/console/{node}", consumes = {MediaType.TEXT_PLAIN_VALUE, MediaType.APPLICATION_JSON_VALUE})
    @Operation(summary = "Type into a node's console (\\r or \\n is Enter)")
    public ResponseEntity<Void> type(@PathVariable String id, @PathVariable String node, @RequestBody String text) {
        if (text.length() > 4096) {
            throw new LabRefusedException("type at most 4096 characters at a time");
        }
        labs.type(id, node, text);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/api/v1/labs/{id}/factory-reset")
    @Operation(summary = "Factory reset the lab's router: wipe its writable store and reboot it",
            description = "Types `factory-reset` on the router's console, as a person would: the router marks its writable store "
                    + "(the overlay over its read-only firmware that keeps every change) and reboots; its initramfs formats the "
                    + "store before mounting it, so the router comes back exactly as built. The console shows the reboot, and the "
                    + "checks run again once it is back. 202 at once; 409 while the lab is not running or its checks still run. "
                    + "Needs the BUILDER role.")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "202", description = "typed; the router is rebooting")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "409", description = "not possible now; detail says why",
            content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/problem+json"))
    public ResponseEntity<LabStatus> factoryReset(@PathVariable String id) {
        labs.factoryReset(id);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(labs.status(id));
    }

    /** The body of an upgrade: the build to boot. */
    public record Upgrade(@Schema(description = "a succeeded build of the same target and WAN line", example = "12") Long buildId) {
    }

    @PostMapping("/api/v1/labs/{id}/upgrade")
    @Operation(summary = "Upgrade the lab's router to another build, keeping its writable store",
            description = "What a user wants to see before flashing a new version onto a device in the field: the `upgrade` check "
                    + "changes a setting and adds a file on the router, powers it off, and the router boots the other build's kernel, "
                    + "initramfs and root on the same writable store and links; the initramfs keeps what the user changed and drops "
                    + "unchanged copies of the old firmware's files (docs/pipeline.md, \"Upgrades\"). The check then sees the change "
                    + "kept, and the new build's checks about a running router (WAN up, PATH, firewall, …) run again; the lab's "
                    + "status names the new build. The ISP and the LAN client stay as they are: the line does not change with the "
                    + "firmware. 202 at once; 400 without a buildId; 404 for an unknown build; 409 while the lab's checks run, when "
                    + "its router is off, for the build it already runs, or when the build is not a succeeded one of the same target "
                    + "and WAN line. Needs the BUILDER role.")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "202", description = "the upgrade begins; follow the lab's checks")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "409", description = "not possible now or not this build; detail says why",
            content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/problem+json"))
    public ResponseEntity<LabStatus> upgrade(@PathVariable String id, @RequestBody(required = false) Upgrade body) {
        if (body == null || body.buildId() == null) {
            throw new LabOptionsException(List.of(new Violation("buildId", "is required: the id of the succeeded build to upgrade the router to "
                    + "({\"buildId\": 12})")));
        }
        labs.upgrade(id, body.buildId());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(labs.status(id));
    }

    @DeleteMapping("/api/v1/labs/{id}")
    @Operation(summary = "Stop a lab: every QEMU process of it ends (on whichever node it runs)")
    public ResponseEntity<Void> stop(@PathVariable String id) {
        labs.stop(id);
        return ResponseEntity.noContent().build();
    }

}
