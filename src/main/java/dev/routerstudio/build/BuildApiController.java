package dev.routerstudio.build;

import dev.routerstudio.pipeline.MinisignKey;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** Builds over REST: queue one, watch it, read its log live, download what it made. */
@RestController
@Tag(name = "Builds", description = "Firmware builds: queue, status, live log, artifacts")
public class BuildApiController {

    private final BuildService builds;
    private final BuildRetention retention;

    BuildApiController(BuildService builds, BuildRetention retention) {
        this.builds = builds;
        this.retention = retention;
    }

    BuildView view(Build b) {
        return BuildView.of(b, builds.queuePosition(b), builds.progress(b.getId()).orElse(null), builds.report(b), false);
    }

    @PostMapping("/api/v1/profiles/{name}/builds")
    @Operation(summary = "Queue a build of the profile's current version",
            description = "202 with the queued build. If an identical build (same spec hash) already succeeded, "
                    + "200 with that build at once instead of building again.")
    public ResponseEntity<BuildView> submit(@PathVariable String name, Authentication who) {
        BuildService.Submission s = builds.submit(name, who.getName());
        BuildView v = BuildView.of(s.build(), builds.queuePosition(s.build()), null, builds.report(s.build()), s.cacheHit());
        return ResponseEntity.status(s.cacheHit() ? HttpStatus.OK : HttpStatus.ACCEPTED)
                .location(URI.create(v.href())).body(v);
    }

    @GetMapping("/api/v1/profiles/{name}/builds")
    @Operation(summary = "The profile's builds, newest first")
    public List<BuildView> forProfile(@PathVariable String name) {
        return builds.forProfile(name).stream().map(this::view).toList();
    }

    @GetMapping("/api/v1/builds/{id}")
    @Operation(summary = "A build's status, stage, progress, queue position, error and artifacts")
    public BuildView get(@PathVariable long id) {
        return view(builds.get(id));
    }

    @GetMapping(path = "/api/v1/builds/{id}/report", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "What a succeeded build made: package versions, size breakdown, service graph, kernel check")
    public ResponseEntity<BuildReport> report(@PathVariable long id) {
        BuildReport report = builds.report(builds.get(id));
        return report == null ? ResponseEntity.notFound().build() : ResponseEntity.ok(report);
    }

    @GetMapping(path = "/api/v1/builds/{id}/log", produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(summary = "The build log as text; ask for text/event-stream to follow it live")
    public String logText(@PathVariable long id) {
        return builds.logText(id);
    }

    @GetMapping(path = "/api/v1/builds/{id}/log", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "The build log as server-sent events, one per line; event ids are line numbers (Last-Event-ID resumes)")
    public SseEmitter logStream(@PathVariable long id,
                                @Parameter(description = "resume after this line")
                                @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
        long after = 0;
        if (lastEventId != null) {
            try {
                after = Long.parseLong(lastEventId.trim());
            } catch (NumberFormatException e) {
                after = 0;
            }
        }
        return builds.followLog(id, after);
    }

    @GetMapping("/api/v1/builds/{id}/artifacts/{artifact}")
    @Operation(summary = "Download an artifact; firmware.tar is the bundle, firmware.tar.minisig its minisign signature")
    public ResponseEntity<Resource> artifact(@PathVariable long id, @PathVariable String artifact) {
        Build build = builds.get(id);
        Path file = builds.artifact(build, artifact).orElseThrow(() -> new ArtifactNotFoundException(id, artifact, build.getStatus()));
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(downloadName(build, artifact))
                        .build().toString())
                .body(new FileSystemResource(file));
    }

    /**
     * firmware.tar downloads as PROFILE-ID-firmware.tar; its signature keeps that name plus .minisig,
     * which is where minisign -V -m looks for it.
     */
    static String downloadName(Build build, String artifact) {
        String bundle = build.getProfileName() + "-" + build.getId() + "-firmware.tar";
        if (artifact.equals("firmware.tar")) {
            return bundle;
        }
        return artifact.equals("firmware.tar" + MinisignKey.SIGNATURE_SUFFIX) ? bundle + MinisignKey.SIGNATURE_SUFFIX : artifact;
    }

    @PostMapping("/api/v1/builds/{id}/pin")
    @Operation(summary = "Keep a build however many newer builds its profile gets (retention keeps the newest few)")
    public BuildView pin(@PathVariable long id) {
        return view(retention.pin(id, true));
    }

    @DeleteMapping("/api/v1/builds/{id}/pin")
    @Operation(summary = "Let retention remove the build again")
    public BuildView unpin(@PathVariable long id) {
        return view(retention.pin(id, false));
    }

    @PostMapping("/api/v1/builds/{id}/cancel")
    @Operation(summary = "Cancel a queued or running build")
    public BuildView cancel(@PathVariable long id) {
        return view(builds.cancel(id));
    }
}
