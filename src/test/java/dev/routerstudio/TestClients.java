package dev.routerstudio;

import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/** MockMvc clients that go through the real security filter chain, as a script or as a logged-in browser. */
public final class TestClients {

    /** Set for the test JVM in pom.xml (studio.admin-password). */
    public static final String ADMIN_PASSWORD = "test-admin-password";

    private TestClients() {
    }

    /** The real filters in the order the server runs them: the body cap, then Spring Security. */
    static org.springframework.test.web.servlet.setup.DefaultMockMvcBuilder setup(WebApplicationContext context) {
        return MockMvcBuilders.webAppContextSetup(context)
                .addFilters(context.getBean(dev.routerstudio.web.RequestSizeLimitFilter.class))
                .apply(springSecurity());
    }

    /** A script using HTTP Basic on every request. */
    public static MockMvc basicAuth(WebApplicationContext context, String username, String password) {
        return setup(context)
                .defaultRequest(get("/").with(httpBasic(username, password))).build();
    }

    /** A browser session of a user with the given role, sending the CSRF token its forms carry. */
    public static MockMvc browserSession(WebApplicationContext context, String username, String role) {
        return setup(context)
                .defaultRequest(get("/").with(user(username).roles(role)).with(csrf())).build();
    }

    /** A script sending a personal API token (cheap to check, unlike a bcrypt password on every request). */
    public static MockMvc bearer(WebApplicationContext context, String token) {
        return setup(context)
                .defaultRequest(get("/").header("Authorization", "Bearer " + token)).build();
    }

    /** No credentials at all. */
    public static MockMvc anonymous(WebApplicationContext context) {
        return setup(context).build();
    }
}
