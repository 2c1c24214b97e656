package dev.routerstudio.lab.web;

import dev.routerstudio.lab.LabException;
import dev.routerstudio.lab.link.FrameLog;
import dev.routerstudio.lab.link.LabLinks;
import dev.routerstudio.lab.link.LinkChange;
import dev.routerstudio.lab.link.LinkRelay;
import dev.routerstudio.lab.link.LinkStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.annotation.PreDestroy;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A lab's links over REST: counters and faults, the packet capture as a pcap download, the live
 * packet summary (JSON or SSE), and changes (down, up, loss, delay, jitter). The relays behind
 * them are dev.routerstudio.lab.link; docs/lab.md says why the studio relays the links itself.
 */
@RestController
@Tag(name = "Lab links", description = "Packet captures and link faults of a lab's links (access: router WAN ↔ ISP, lan: router LAN ↔ LAN client)")
public class LinkApiController {

    public static final MediaType PCAP = MediaType.parseMediaType("application/vnd.tcpdump.pcap");

    private final Labs labs;
    private final ExecutorService viewers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "link-frames-viewer");
        t.setDaemon(true);
        return t;
    });

    public LinkApiController(Labs labs) {
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

    private LabLinks links(String id) {
        LabLinks l;
        try {
            l = labs.localLinks(id);
        } catch (LabException e) {
            throw new LabNotFoundException(id);
        }
        if (l == null) {
            throw new LinkNotFoundException("lab " + id + " is starting and has not opened its links yet; ask again in a moment");
        }
        return l;
    }

    private LinkRelay link(String id, String name) {
        try {
            return links(id).link(name);
        } catch (IllegalArgumentException e) {
            throw new LinkNotFoundException(e.getMessage());
        }
    }

    @GetMapping("/api/v1/labs/{id}/links")
    @Operation(summary = "The lab's links: state, impairment, per-direction counters, capture size",
            description = "Also for a stopped lab, as long as it is one of the last few stopped (its captures stay downloadable).")
    public List<LinkStatus> all(@PathVariable String id) {
        return links(id).status();
    }

    @GetMapping("/api/v1/labs/{id}/links/{link}")
    @Operation(summary = "One link: state, impairment, per-direction counters, capture size")
    public LinkStatus one(@PathVariable String id, @PathVariable String link) {
        return link(id, link).status();
    }

    @PostMapping(path = "/api/v1/labs/{id}/links/{link}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Cut a link, bring it back, or impair it",
            description = "Fields left out keep their value. state: \"down\" drops every frame both ways (the guests' cards stay up, "
                    + "as when the line behind a modem fails), \"up\" passes them again. lossPercent (0–100) drops that share of frames, "
                    + "each direction on its own; delayMs (0–10000) holds every frame that long; jitterMs (0–10000) adds or takes up to "
                    + "that much at random (frames may then be reordered; without jitter they keep their order). "
                    + "{\"lossPercent\":0,\"delayMs\":0,\"jitterMs\":0} ends the impairment. Needs the BUILDER role.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = "application/json",
                    examples = {@ExampleObject(name = "down", value = "{\"state\":\"down\"}"),
                            @ExampleObject(name = "up", value = "{\"state\":\"up\"}"),
                            @ExampleObject(name = "impaired", value = "{\"lossPercent\":20,\"delayMs\":80,\"jitterMs\":10}")})))
    @ApiResponse(responseCode = "200", description = "the link as it is now")
    @ApiResponse(responseCode = "400", description = "a bad field; errors lists each one with what to send",
            content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "409", description = "the lab has stopped: its links no longer carry frames",
            content = @Content(mediaType = "application/problem+json"))
    public LinkStatus change(@PathVariable String id, @PathVariable String link, @RequestBody(required = false) String body) {
        LinkRelay relay = link(id, link);
        LinkChange change;
        try {
            change = LinkChange.parseJson(body);
        } catch (LinkChange.InvalidChangeException e) {
            throw new LinkChangeRejectedException(e);
        }
        if (relay.isClosed()) {
            throw new LabException("lab " + id + " has stopped; its " + link + " link no longer carries frames (its capture can still be downloaded)");
        }
        return relay.change(change);
    }

    @GetMapping(path = "/api/v1/labs/{id}/links/{link}/pcap", produces = "application/vnd.tcpdump.pcap")
    @Operation(summary = "Download the link's packet capture (pcap, linktype Ethernet)",
            description = "What the link holds now: the newest frames within studio.labs.capture-size (default 32MB; the oldest are "
                    + "dropped first). Every frame either guest sent, also those a fault then dropped. Readable by tcpdump -r and "
                    + "Wireshark; works while the lab runs and after it stops.")
    public ResponseEntity<StreamingResponseBody> pcap(@PathVariable String id, @PathVariable String link) {
        LinkRelay relay = link(id, link);
        HttpHeaders h = new HttpHeaders();
        h.setContentType(PCAP);
        h.setContentDisposition(ContentDisposition.attachment().filename("lab-" + id + "-" + link + ".pcap").build());
        h.setCacheControl("no-store");
        return new ResponseEntity<>(out -> relay.capture().writeTo(out), h, HttpStatus.OK);
    }

    @GetMapping(path = "/api/v1/labs/{id}/links/{link}/frames", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The live packet summary: one line per frame (time, from, to, length, protocol, summary, fate)",
            description = "Lines after the id `after` (0: the oldest kept), at most `limit` (the newest when there are more; gap is then "
                    + "true). fate: \"\" passed on, \"+N ms\" delayed, \"down\", \"lost\" or \"queue full\". …/frames/live follows the same "
                    + "lines as server-sent events.")
    public FrameLog.Batch frames(@PathVariable String id, @PathVariable String link,
                                 @RequestParam(defaultValue = "0") long after,
                                 @RequestParam(defaultValue = "200") int limit) throws InterruptedException {
        if (limit < 1 || limit > LabLinks.SUMMARY_LINES) {
            throw new LinkFieldException("limit", "must be 1–" + LabLinks.SUMMARY_LINES);
        }
        return link(id, link).frames().after(Math.max(0, after), limit, 0);
    }

    @GetMapping(path = "/api/v1/labs/{id}/links/{link}/frames/live", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "The live packet summary as server-sent events (data: one line as JSON)",
            description = "The kept lines first (or those after `after`), then each new one; event id = line id, so a viewer that "
                    + "reconnects with Last-Event-ID resumes after it.")
    public SseEmitter followFrames(@PathVariable String id, @PathVariable String link,
                                   @Parameter(description = "resume after this line id")
                                   @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
                                   @RequestParam(defaultValue = "0") long after) {
        FrameLog log = link(id, link).frames();
        long from = after;
        if (lastEventId != null) {
            try {
                from = Math.max(0, Long.parseLong(lastEventId.trim()));
            } catch (NumberFormatException ignored) {
                // a mangled id: start from the scrollback
            }
        }
        SseEmitter emitter = LabApiController.opened(new SseEmitter(0L), "frames");
        long start = from;
        viewers.execute(() -> {
            long last = start;
            try {
                while (true) {
                    FrameLog.Batch b = log.after(last, 500, 15_000);
                    for (FrameLog.Line l : b.lines()) {
                        emitter.send(SseEmitter.event().id(Long.toString(l.id())).data(l, MediaType.APPLICATION_JSON));
                    }
                    last = b.lastId();
                    if (b.lines().isEmpty()) {
                        if (log.isClosed()) {
                            emitter.complete();
                            return;
                        }
                        emitter.send(SseEmitter.event().comment("keep-alive"));
                    }
                }
            } catch (IOException | RuntimeException ended) {
                emitter.complete(); // the viewer went away, or the lab stopped (see LabApiController.opened)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                emitter.complete();
            }
        });
        return emitter;
    }

    /** A bad query parameter: 400 with the field. */
    static class LinkFieldException extends LinkChangeRejectedException {
        LinkFieldException(String field, String message) {
            super(new LinkChange.InvalidChangeException(List.of(new LinkChange.FieldError(field, message))));
        }
    }
}
