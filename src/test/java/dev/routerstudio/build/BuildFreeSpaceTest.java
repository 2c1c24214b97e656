package dev.routerstudio.build;

import dev.routerstudio.TestClients;
import dev.routerstudio.account.AccountService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.web.context.WebApplicationContext;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** With less free space than a build needs, the build is refused up front instead of failing midway. */
@SpringBootTest(properties = "studio.builds.min-free-space=1000000TB")
class BuildFreeSpaceTest {

    @Autowired
    WebApplicationContext context;

    @Autowired
    AccountService accounts;

    @Test
    void aFullDiskRefusesNewBuildsWithAClearMessage() throws Exception {
        TestClients.bearer(context, accounts.issueToken("admin", "space").secret())
                .perform(post("/api/v1/profiles/example-pppoe/builds"))
                .andExpect(status().isInsufficientStorage())
                .andExpect(jsonPath("$.detail", containsString("free in the data dir")));
    }
}
