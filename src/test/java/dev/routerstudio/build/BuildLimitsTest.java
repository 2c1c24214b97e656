package dev.routerstudio.build;

import dev.routerstudio.TestClients;
import dev.routerstudio.account.AccountService;
import dev.routerstudio.account.Role;
import dev.routerstudio.profile.ProfileJson;
import dev.routerstudio.profile.ProfileService;
import dev.routerstudio.profile.ProfileSpec;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.context.WebApplicationContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@SpringBootTest(properties = {"studio.builds.max-queued-per-user=1", "studio.builds.max-queued=2", "studio.builds.keep-per-profile=2"})
class BuildLimitsTest {

    @Autowired
    WebApplicationContext context;

    @Autowired
    AccountService accounts;

    @Autowired
    ProfileService profiles;

    @Autowired
    BuildService builds;

    @Autowired
    BuildRetention retention;

    @Autowired
    BuildFolders folders;

    @Autowired
    JdbcTemplate jdbc;

    MockMvc as(String user) {
        return TestClients.bearer(context, accounts.issueToken(user, "limits").secret());
    }

    void profile(String name) {
        ProfileSpec example = profiles.specWithSecrets("example-pppoe");
        profiles.create(new ProfileSpec(name, "limits " + System.nanoTime(), "gw", "malta-mipsel", example.interfaces(),
                example.wan(), List.of(), List.of(), List.of()));
    }

    @Test
    void theQueueIsLimitedPerUserAndOverallWithRetryAfter() throws Exception {
        accounts.create("ulla", "limits-password-1", Role.BUILDER);
        for (String p : List.of("lim-a", "lim-b", "lim-c")) {
            profile(p);
        }
        MockMvc admin = as("admin");
        MockMvc ulla = as("ulla");
        List<Long> started = new ArrayList<>();
        try {
            started.add(builds.submit("lim-a", "admin").build().getId());
            admin.perform(post("/api/v1/profiles/lim-b/builds"))
                    .andExpect(status().isTooManyRequests())
                    .andExpect(header().exists("Retry-After"))
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.detail", containsString("would have been number 2")));
            started.add(builds.submit("lim-b", "ulla").build().getId());
            as("admin").perform(post("/api/v1/profiles/lim-c/builds")).andExpect(status().isTooManyRequests());
            accounts.create("vic", "limits-password-2", Role.BUILDER);
            as("vic").perform(post("/api/v1/profiles/lim-c/builds"))
                    .andExpect(status().isTooManyRequests())
                    .andExpect(jsonPath("$.detail", containsString("queue is full")));
            ulla.perform(post("/api/v1/profiles/lim-c/builds")).andExpect(status().isTooManyRequests());
        } finally {
            started.forEach(builds::cancel);
        }
    }

    @Test
    void retentionKeepsTheNewestAndThePinned() throws Exception {
        profile("retain");
        String spec = ProfileJson.write(profiles.get("retain").spec());
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jdbc.update("INSERT INTO build (profile_name, profile_version, status, spec_json, created_at, finished_at, pinned) "
                    + "VALUES ('retain', 1, 'SUCCEEDED', ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, ?)", spec, i == 1);
            long id = jdbc.queryForObject("SELECT MAX(id) FROM build", Long.class);
            Files.createDirectories(folders.artifactsDir(id));
            Files.writeString(folders.artifactsDir(id).resolve("firmware.tar"), "x");
            ids.add(id);
        }
        retention.apply("retain");
        List<Long> left = jdbc.queryForList("SELECT id FROM build WHERE profile_name = 'retain' ORDER BY id", Long.class);
        assertThat(left).containsExactly(ids.get(1), ids.get(3), ids.get(4)); // pinned + the newest two
        assertThat(folders.artifactsDir(ids.get(0))).doesNotExist();
        assertThat(folders.artifactsDir(ids.get(2))).doesNotExist();
        assertThat(folders.artifactsDir(ids.get(1))).exists();
    }

    @Test
    void bodiesOverTheCapAre413() throws Exception {
        byte[] big = new byte[5 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) ' ');
        as("admin").perform(post("/api/v1/profiles").contentType(MediaType.APPLICATION_JSON).content(big))
                .andExpect(status().isPayloadTooLarge());
    }
}
