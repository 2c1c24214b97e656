package dev.routerstudio.build;

import dev.routerstudio.TestClients;
import dev.routerstudio.account.AccountService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.util.unit.DataSize;
import org.springframework.web.context.WebApplicationContext;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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

    @Test
    void theCheckMeasuresTheDataDirItself(@TempDir Path dir) {
        assertThatThrownBy(() -> new FreeSpace(dir, DataSize.ofTerabytes(1_000_000)).check())
                .isInstanceOf(InsufficientSpaceException.class)
                .hasMessageContaining("free in the data dir " + dir);
        assertThatCode(() -> new FreeSpace(dir, DataSize.ofBytes(1)).check()).doesNotThrowAnyException();
    }

    /** A check that cannot run (here: the data dir sits below a plain file) must not refuse every build. */
    @Test
    void aCheckThatCannotRunLetsTheBuildGoAhead(@TempDir Path dir) throws Exception {
        Path unmeasurable = Files.createFile(dir.resolve("a-file")).resolve("data");
        FreeSpace check = new FreeSpace(unmeasurable, DataSize.ofTerabytes(1_000_000));
        assertThatCode(check::check).doesNotThrowAnyException();
        assertThatCode(check::check).doesNotThrowAnyException();
    }
}
