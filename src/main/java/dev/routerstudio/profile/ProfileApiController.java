package dev.routerstudio.profile;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Profiles over REST. Bodies are read as text and parsed by {@link ProfileJson}, the same
 * strict reader imports use, so every client gets the same field-by-field errors.
 */
@RestController
@RequestMapping("/api/v1/profiles")
@Tag(name = "Profiles", description = "Router profiles: create, read, replace, delete, export and import")
public class ProfileApiController {

    private final ProfileService profiles;

    public ProfileApiController(ProfileService profiles) {
        this.profiles = profiles;
    }

    /** One line of the profile list. */
    public record ProfileSummary(String name, String description, String hostname, String wanMode,
                                 long version, boolean passwordSet, Instant updatedAt, String href) {

        static ProfileSummary of(Profile p) {
            return new ProfileSummary(p.getName(), p.getDescription(), p.getHostname(), p.getWanMode(),
                    p.getVersion(), p.isPasswordSet(), p.getUpdatedAt(), "/api/v1/profiles/" + p.getName());
        }
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List profiles", description = "Every profile with its version; secrets are never returned.")
    public List<ProfileSummary> list() {
        return profiles.list().stream().map(ProfileSummary::of).toList();
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create a profile",
            description = "Validates the whole profile; 400 problem+json lists each bad field. The password is required for pppoe and l2tp.",
            responses = {
                    @ApiResponse(responseCode = "201", description = "Created; Location names the profile"),
                    @ApiResponse(responseCode = "400", description = "Invalid fields", content = @Content(mediaType = "application/problem+json")),
                    @ApiResponse(responseCode = "409", description = "Name already taken", content = @Content(mediaType = "application/problem+json"))})
    public ResponseEntity<ProfileSpec> create(@io.swagger.v3.oas.annotations.parameters.RequestBody(
            content = @Content(schema = @Schema(implementation = ProfileSpec.class))) @RequestBody(required = false) String body) {
        return created(profiles.create(ProfileJson.read(body)));
    }

    @GetMapping(path = "/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Read a profile",
            description = "The profile as PUT takes it, without secrets. ETag carries the version for If-Match.")
    public ResponseEntity<ProfileSpec> get(@PathVariable String name) {
        Profile profile = profiles.get(name);
        return ResponseEntity.ok().eTag(etag(profile)).lastModified(profile.getUpdatedAt())
                .cacheControl(CacheControl.noCache()).body(profile.spec());
    }

    @PutMapping(path = "/{name}", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Replace a profile",
            description = "Replaces the whole spec; the name cannot change. Leave the password out to keep the stored one. "
                    + "Send If-Match with the ETag from GET to refuse the change if someone else changed the profile (412).")
    public ResponseEntity<ProfileSpec> replace(@PathVariable String name,
                                               @Parameter(description = "version from the ETag, e.g. \"3\"")
                                               @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                               @io.swagger.v3.oas.annotations.parameters.RequestBody(
                                                       content = @Content(schema = @Schema(implementation = ProfileSpec.class)))
                                               @RequestBody(required = false) String body) {
        Long expected = parseIfMatch(ifMatch);
        ProfileSpec spec = ProfileJson.read(body);
        Profile profile = profiles.update(name, spec.name() == null ? spec.withName(name) : spec, expected);
        return ResponseEntity.ok().eTag(etag(profile)).lastModified(profile.getUpdatedAt()).body(profile.spec());
    }

    @DeleteMapping("/{name}")
    @Operation(summary = "Delete a profile")
    @ApiResponse(responseCode = "204", description = "Deleted")
    public ResponseEntity<Void> delete(@PathVariable String name) {
        profiles.delete(name);
        return ResponseEntity.noContent().build();
    }

    @GetMapping(path = "/{name}/export", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Export a profile as canonical JSON",
            description = "Stable key order and formatting: export → import → export is byte-identical. "
                    + "Secrets are left out unless an ADMIN asks with includeSecrets=true; such an export is marked "
                    + "with the header X-Contains-Secrets: true and a -with-secrets file name.")
    public ResponseEntity<byte[]> export(@PathVariable String name,
                                         @RequestParam(defaultValue = "false") boolean includeSecrets,
                                         Authentication who) {
        if (includeSecrets && who.getAuthorities().stream().noneMatch(a -> a.getAuthority().equals("ROLE_ADMIN"))) {
            throw new AccessDeniedException("only an admin may export secrets");
        }
        byte[] json = profiles.export(name, includeSecrets).getBytes(StandardCharsets.UTF_8);
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(name + (includeSecrets ? "-with-secrets" : "") + ".json").build().toString())
                .header("X-Contains-Secrets", Boolean.toString(includeSecrets))
                .body(json);
    }

    @PostMapping(path = "/import", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Import a profile from its canonical JSON",
            description = "Like create, but a missing PPP password is allowed (exports carry none); set it before building.")
    public ResponseEntity<ProfileSpec> importProfile(@io.swagger.v3.oas.annotations.parameters.RequestBody(
            content = @Content(schema = @Schema(implementation = ProfileSpec.class))) @RequestBody(required = false) String body) {
        return created(profiles.importProfile(ProfileJson.read(body)));
    }

    private static ResponseEntity<ProfileSpec> created(Profile profile) {
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentContextPath()
                        .path("/api/v1/profiles/{name}").buildAndExpand(profile.getName()).toUri())
                .eTag(etag(profile)).body(profile.spec());
    }

    private static String etag(Profile profile) {
        return "\"" + profile.getVersion() + "\"";
    }

    private static Long parseIfMatch(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return null;
        }
        String v = ifMatch.trim();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        v = v.replace("\"", "");
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ProfileValidationException(List.of(new Violation("If-Match",
                    "must be the ETag from GET, a version number in quotes such as \"3\"")));
        }
    }
}
