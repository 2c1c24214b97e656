package dev.routerstudio.build;

import dev.routerstudio.pipeline.MinisignKey;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The public half of the key that signs every firmware.tar, for checking downloads with minisign. */
@RestController
@Tag(name = "Signing key", description = "The studio's public key: firmware.tar.minisig verifies against it with minisign -V")
public class SigningKeyApiController {

    private final MinisignKey key;

    SigningKeyApiController(MinisignKey studioSigningKey) {
        this.key = studioSigningKey;
    }

    public record SigningKeyView(
            @Schema(description = "the public key as minisign -P takes it (the second line of a minisign.pub file)",
                    example = "RWRt5NCmju2fuxTAvQvth5BhT5LMWZuwqL4/2thu2JnBK9njUqSvx1O6") String publicKey,
            @Schema(description = "the key id as minisign prints it; manifest.json names it too", example = "BB9FED8EA6D0E46D")
            String keyId) {
    }

    @GetMapping("/api/v1/signing-key")
    @Operation(summary = "The studio's public signing key",
            description = "Check a download without the studio: minisign -V -P PUBLICKEY -m firmware.tar -x firmware.tar.minisig")
    public SigningKeyView get() {
        return new SigningKeyView(key.publicKey(), key.keyId());
    }
}
