package dev.routerstudio.build;

import dev.routerstudio.StudioProperties;
import dev.routerstudio.TestClients;
import dev.routerstudio.pipeline.MinisignKey;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.web.context.WebApplicationContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** GET /api/v1/signing-key: the key made 0600 at first start, as minisign -P takes it, for any logged-in user. */
@SpringBootTest
class SigningKeyApiTest {

    @Autowired
    WebApplicationContext context;

    @Autowired
    MinisignKey studioSigningKey;

    @Autowired
    StudioProperties studio;

    @Test
    void aViewerReadsThePublicKeyAndItsId() throws Exception {
        TestClients.browserSession(context, "viewer", "VIEWER").perform(get("/api/v1/signing-key"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.publicKey").value(studioSigningKey.publicKey()))
                .andExpect(jsonPath("$.keyId").value(studioSigningKey.keyId()));
        byte[] pk = Base64.getDecoder().decode(studioSigningKey.publicKey());
        assertThat(pk).hasSize(42);
        assertThat(new String(pk, 0, 2, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("Ed");
    }

    @Test
    void theKeyIsMadeOwnerOnlyInTheDataDirAndReadBackFromIt() throws Exception {
        Path file = studio.dataDir().resolve("signing.key");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        byte[] seed = Base64.getDecoder().decode(Files.readString(file).trim());
        assertThat(MinisignKey.fromSeed(seed).publicKey()).isEqualTo(studioSigningKey.publicKey());
    }

    @Test
    void strangersGetNothingAndTheApiDocsDescribeIt() throws Exception {
        TestClients.anonymous(context).perform(get("/api/v1/signing-key")).andExpect(status().isUnauthorized());
        TestClients.basicAuth(context, "admin", TestClients.ADMIN_PASSWORD).perform(get("/v3/api-docs"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("/api/v1/signing-key")))
                .andExpect(content().string(containsString("minisign -V -P")));
    }
}
