package dev.routerstudio.security;

import dev.routerstudio.StudioProperties;
import dev.routerstudio.TestClients;
import dev.routerstudio.account.AccountService;
import dev.routerstudio.account.Role;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.context.WebApplicationContext;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@SpringBootTest
class SecurityTest {

    @Autowired
    WebApplicationContext context;

    @Autowired
    AccountService accounts;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    StudioProperties studio;

    MockMvc anonymous() {
        return TestClients.anonymous(context);
    }

    @Test
    void withoutCredentialsTheApiSays401InProblemJson() throws Exception {
        anonymous().perform(get("/api/v1/profiles"))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(header().string("WWW-Authenticate", containsString("Bearer")))
                .andExpect(jsonPath("$.detail", containsString("Authorization: Bearer")));
        anonymous().perform(post("/api/v1/profiles").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isUnauthorized());
    }

    @Test
    void pagesSendStrangersToTheLoginPage() throws Exception {
        anonymous().perform(get("/profiles").accept(MediaType.TEXT_HTML))
                .andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/login"));
        anonymous().perform(get("/login")).andExpect(status().isOk()).andExpect(content().string(containsString("Log in")));
    }

    @Test
    void loginAssetsAndHealthStayOpen() throws Exception {
        anonymous().perform(get("/css/app.css")).andExpect(status().isOk());
        anonymous().perform(get("/js/app.js")).andExpect(status().isOk());
        anonymous().perform(get("/actuator/health")).andExpect(status().isOk());
    }

    @Test
    void rolesDecideWhatAnAccountMayDo() throws Exception {
        accounts.create("vera", "viewer-password-1", Role.VIEWER);
        accounts.create("bob", "builder-password-1", Role.BUILDER);
        MockMvc viewer = TestClients.basicAuth(context, "vera", "viewer-password-1");
        MockMvc builder = TestClients.basicAuth(context, "bob", "builder-password-1");
        String profile = """
                {"name":"rolecheck","hostname":"gw","interfaces":{"wan":{"device":"eth0"},"lan":{"device":"eth1","address":"10.9.0.1/24"}},
                 "wan":{"mode":"pppoe","username":"u","password":"pw-for-roles"}}""";

        viewer.perform(get("/api/v1/profiles")).andExpect(status().isOk());
        viewer.perform(post("/api/v1/profiles").contentType(MediaType.APPLICATION_JSON).content(profile))
                .andExpect(status().isForbidden()).andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        builder.perform(post("/api/v1/profiles").contentType(MediaType.APPLICATION_JSON).content(profile))
                .andExpect(status().isCreated());
        // secrets only for admins, and marked
        builder.perform(get("/api/v1/profiles/rolecheck/export").param("includeSecrets", "true")).andExpect(status().isForbidden());
        TestClients.basicAuth(context, "admin", TestClients.ADMIN_PASSWORD)
                .perform(get("/api/v1/profiles/rolecheck/export").param("includeSecrets", "true"))
                .andExpect(status().isOk()).andExpect(header().string("X-Contains-Secrets", "true"))
                .andExpect(header().string("Content-Disposition", containsString("with-secrets")))
                .andExpect(jsonPath("$.wan.password").value("pw-for-roles"));
        // the users page is for admins
        TestClients.browserSession(context, "bob", "BUILDER").perform(get("/admin/users")).andExpect(status().isForbidden());
        TestClients.browserSession(context, "admin", "ADMIN").perform(get("/admin/users")).andExpect(status().isOk())
                .andExpect(content().string(containsString("vera")));
    }

    @Test
    void tokensWorkUntilRevokedAndAreStoredOnlyAsHashes() throws Exception {
        accounts.create("tina", "token-user-password", Role.BUILDER);
        AccountService.IssuedToken issued = accounts.issueToken("tina", "ci-runner");
        assertThat(issued.secret()).startsWith("rs_");
        assertThat(jdbc.queryForList("SELECT token_hash FROM api_token", String.class)).doesNotContain(issued.secret())
                .allSatisfy(h -> assertThat(h).hasSize(64));

        MockMvc script = TestClients.anonymous(context);
        script.perform(get("/api/v1/profiles").header("Authorization", "Bearer " + issued.secret())).andExpect(status().isOk());
        script.perform(get("/api/v1/profiles").header("Authorization", "Bearer rs_not-a-token")).andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.title").value("Invalid token"));
        accounts.revokeToken(issued.token().getId(), "tina", false);
        script.perform(get("/api/v1/profiles").header("Authorization", "Bearer " + issued.secret())).andExpect(status().isUnauthorized());
    }

    @Test
    void basicAuthWithAWrongPasswordIs401() throws Exception {
        anonymous().perform(get("/api/v1/profiles").with(httpBasic("admin", "wrong"))).andExpect(status().isUnauthorized());
    }

    @Test
    void browserFormsNeedTheirCsrfToken() throws Exception {
        anonymous().perform(post("/profiles/example-pppoe/delete").with(user("admin").roles("ADMIN")))
                .andExpect(status().isForbidden());
        // an API write riding on a browser session needs the token too
        anonymous().perform(delete("/api/v1/profiles/example-pppoe").with(user("admin").roles("ADMIN"))
                        .with(request -> {
                            request.setRequestedSessionId("from-a-browser");
                            return request;
                        }))
                .andExpect(status().isForbidden());
        anonymous().perform(get("/profiles").with(user("admin").roles("ADMIN")))
                .andExpect(status().isOk()).andExpect(content().string(containsString("name=\"_csrf\"")));
    }

    @Test
    void securityHeadersAreSet() throws Exception {
        anonymous().perform(get("/login"))
                .andExpect(header().string("Content-Security-Policy", containsString("script-src 'self'")))
                .andExpect(header().string("Content-Security-Policy", containsString("frame-ancestors 'none'")))
                .andExpect(header().string("X-Frame-Options", "DENY"))
                .andExpect(header().string("X-Content-Type-Options", "nosniff"));
    }

    @Test
    void passwordsAreSealedAtRestWithAPrivateKeyFile() throws Exception {
        TestClients.basicAuth(context, "admin", TestClients.ADMIN_PASSWORD)
                .perform(post("/api/v1/profiles").contentType(MediaType.APPLICATION_JSON).content("""
                        {"name":"sealed","hostname":"gw","interfaces":{"wan":{"device":"eth0"},"lan":{"device":"eth1","address":"10.8.0.1/24"}},
                         "wan":{"mode":"l2tp","server":"203.0.113.1","username":"u","password":"plain-text-never-stored"}}"""))
                .andExpect(status().isCreated());
        String stored = jdbc.queryForObject("SELECT wan_password FROM profile WHERE name = 'sealed'", String.class);
        assertThat(stored).startsWith("v1:").doesNotContain("plain-text-never-stored");
        assertThat(jdbc.queryForObject("SELECT spec_json FROM profile WHERE name = 'sealed'", String.class))
                .doesNotContain("plain-text-never-stored");
        assertThat(Files.getPosixFilePermissions(studio.dataDir().resolve("secret.key")))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        assertThat(jdbc.queryForList("SELECT password_hash FROM account", String.class))
                .allSatisfy(h -> assertThat(h).startsWith("{bcrypt}"));
    }
}
