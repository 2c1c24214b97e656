package dev.routerstudio.lab.web;

import dev.routerstudio.StudioProperties;
import dev.routerstudio.TestClients;
import dev.routerstudio.account.AccountService;
import dev.routerstudio.account.Role;
import dev.routerstudio.lab.LabService;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.context.WebApplicationContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** POST /api/v1/labs with bad firmware.tar uploads: 400 problem+json with the reason, and nothing left behind. */
@SpringBootTest
class LabUploadTest {

    @Autowired
    WebApplicationContext context;

    @Autowired
    AccountService accounts;

    @Autowired
    LabService labs;

    @Autowired
    StudioProperties studio;

    MockMvc as(String user) {
        return TestClients.bearer(context, accounts.issueToken(user, "upload").secret());
    }

    static byte[] tar(Map<String, String> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                TarArchiveEntry te = new TarArchiveEntry(e.getKey(), true);
                byte[] b = e.getValue().getBytes(StandardCharsets.UTF_8);
                te.setSize(b.length);
                t.putArchiveEntry(te);
                t.write(b);
                t.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    void refused(byte[] upload, String reason) throws Exception {
        as("admin").perform(multipart("/api/v1/labs").file(new MockMultipartFile("firmware", "firmware.tar", "application/x-tar", upload)))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Firmware bundle refused"))
                .andExpect(jsonPath("$.detail", containsString(reason)));
    }

    @AfterEach
    void nothingLeftBehind() throws IOException {
        assertThat(labs.labs()).isEmpty();
        for (String d : new String[]{"uploads", "labs"}) {
            Path dir = studio.dataDir().resolve(d);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    assertThat(files.filter(Files::isRegularFile).toList()).as(dir + " after a refused upload").isEmpty();
                }
                try (Stream<Path> all = Files.walk(dir)) {
                    assertThat(all.filter(p -> p.getFileName().toString().matches("firmware-.*\\.tar|lab\\.json|vmlinuz")).toList()).isEmpty();
                }
            }
        }
    }

    @Test
    void notATarIsRefused() throws Exception {
        refused("this is not a tar archive\n".repeat(40).getBytes(StandardCharsets.UTF_8), "the upload is not a tar archive");
    }

    @Test
    void aTarWithoutLabJsonIsRefused() throws Exception {
        refused(tar(Map.of("firmware/vmlinuz", "k", "firmware/initramfs.cpio.xz", "i", "firmware/rootfs.squashfs", "r")),
                "the bundle has no firmware/lab.json");
    }

    @Test
    void aTraversalEntryIsRefused() throws Exception {
        refused(tar(Map.of("firmware/vmlinuz", "k", "firmware/../../../escaped", "x")), "climbs out of the bundle");
        assertThat(studio.dataDir().resolve("escaped")).doesNotExist();
    }

    @Test
    void theUploadIsInTheOpenApiDocumentAsAMultipartFile() throws Exception {
        as("admin").perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/v3/api-docs"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.paths['/api/v1/labs'].post.summary").value("Boot an uploaded firmware.tar in a lab"))
                .andExpect(jsonPath("$.paths['/api/v1/labs'].post.requestBody.content['multipart/form-data'].schema.properties.firmware.format")
                        .value("binary"))
                .andExpect(jsonPath("$.paths['/api/v1/labs'].post.responses['400']").exists());
    }

    @Test
    void theLabsPageTakesAnUploadAndSaysWhyABadOneIsRefused() throws Exception {
        MockMvc browser = TestClients.browserSession(context, "admin", "ADMIN");
        browser.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/labs"))
                .andExpect(status().isOk()).andExpect(content().string(containsString("Boot a firmware.tar built elsewhere")));
        browser.perform(multipart("/labs/upload").file(new MockMultipartFile("firmware", "firmware.tar", "application/x-tar",
                        tar(Map.of("firmware/vmlinuz", "k", "firmware/initramfs.cpio.xz", "i", "firmware/rootfs.squashfs", "r"))))
                        .with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf()))
                .andExpect(status().is3xxRedirection())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl("/labs"))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash()
                        .attribute("problem", containsString("the bundle has no firmware/lab.json")));
    }

    @Test
    void aMissingPartAndAViewerAreRefusedToo() throws Exception {
        as("admin").perform(multipart("/api/v1/labs").file(new MockMultipartFile("other", "x.tar", "application/x-tar", new byte[10])))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        accounts.create("vera-upload", "viewer-password-1", Role.VIEWER);
        as("vera-upload").perform(multipart("/api/v1/labs").file(new MockMultipartFile("firmware", "f.tar", "application/x-tar", new byte[10])))
                .andExpect(status().isForbidden());
    }
}
