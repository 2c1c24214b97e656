package dev.routerstudio.lab.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** verify for CI, and a lab's evidence. */
@RestController
@Tag(name = "Labs")
public class VerifyApiController {

    /** The header that carries verify's verdict, for scripts that do not read the body. */
    public static final String VERDICT_HEADER = "X-Verify-Verdict";

    private final Verifier verifier;
    private final LabEvidence evidence;

    VerifyApiController(Verifier verifier, LabEvidence evidence) {
        this.verifier = verifier;
        this.evidence = evidence;
    }

    @PostMapping(path = "/api/v1/profiles/{name}/verify", produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_XML_VALUE})
    @Operation(summary = "Build the profile if needed, boot it in a lab with every check, wait, and answer with the verdict",
            description = "For CI: the call returns when the lab's checks are done (minutes). `Accept: application/xml` gives JUnit XML "
                    + "(one testcase per check, its transcript in system-out, a failure saying what was expected and what was seen; "
                    + "one errored testcase `build` when the build failed), JSON otherwise. The answer is 200 whatever the verdict; "
                    + "the header " + VERDICT_HEADER + " says passed, failed or error. The lab's evidence stays at "
                    + "/api/v1/labs/{lab}/evidence. The optional body sets the login the lab's ISP expects (pin your line's real "
                    + "credentials there, and a profile whose password is wrong fails).")
    public ResponseEntity<?> verify(@PathVariable String name, @RequestBody(required = false) LabOptions options,
                                    @Parameter(description = "give up (verdict error) after this many minutes; the build goes on")
                                    @RequestParam(defaultValue = "30") int timeoutMinutes,
                                    @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept,
                                    Authentication who) throws InterruptedException {
        if (timeoutMinutes < 1 || timeoutMinutes > 120) {
            throw new LabOptionsException(List.of(new dev.routerstudio.profile.Violation("timeoutMinutes", "must be 1–120")));
        }
        Verifier.Result r = verifier.verify(name, options == null ? LabOptions.NONE : options, who.getName(),
                Duration.ofMinutes(timeoutMinutes));
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok().header(VERDICT_HEADER, r.verdict().name().toLowerCase(Locale.ROOT));
        if (accept != null && MediaType.parseMediaTypes(accept).stream()
                .anyMatch(m -> m.isCompatibleWith(MediaType.APPLICATION_XML) && !m.isWildcardType())) {
            return ok.contentType(MediaType.APPLICATION_XML).body(JunitReport.of(r));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("profile", r.profile());
        json.put("build", r.build());
        json.put("buildStatus", r.buildStatus());
        json.put("verdict", r.verdict().name().toLowerCase(Locale.ROOT));
        json.put("tests", r.tests());
        json.put("failures", r.failures());
        json.put("skipped", r.skipped());
        json.put("seconds", r.seconds());
        if (r.lab() != null) {
            json.put("lab", r.lab());
            json.put("worker", r.status().worker());
            json.put("evidence", "/api/v1/labs/" + r.lab() + "/evidence");
            json.put("checks", r.status().checks());
        } else {
            json.put("buildError", r.buildError());
            json.put("buildLogTail", r.buildLogTail());
        }
        return ok.contentType(MediaType.APPLICATION_JSON).body(json);
    }

    @GetMapping(path = "/api/v1/labs/{id}/evidence", produces = "application/x-tar")
    @Operation(summary = "What a lab proved, as a tar: checks.json, each node's whole console, the firmware's manifest",
            description = "Kept after the lab stops (the newest 100 labs). Every entry lies under evidence-ID/.")
    public ResponseEntity<StreamingResponseBody> evidence(@PathVariable String id) {
        if (!id.matches("[0-9a-f]{8}") || !evidence.exists(id)) {
            throw new LabNotFoundException(id);
        }
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"lab-" + id + "-evidence.tar\"")
                .contentType(MediaType.parseMediaType("application/x-tar"))
                .body(out -> evidence.writeTar(id, out));
    }
}
