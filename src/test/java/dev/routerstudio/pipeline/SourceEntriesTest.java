package dev.routerstudio.pipeline;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** deb-src entries for the private apt state, from the host's deb entries in both formats. */
class SourceEntriesTest {

    @Test
    void deb822StanzasWithDebBecomeDebSrcAndOthersAreLeftOut() {
        String host = """
                Types: deb
                # a comment
                URIs: http://mirror.example/debian
                Suites: bookworm bookworm-updates
                Components: main
                Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

                Types: deb-src
                URIs: http://mirror.example/already-src
                Suites: bookworm
                Components: main
                """;
        String out = SourceEntries.fromDeb822(host);
        assertThat(out).isEqualTo("""
                Types: deb-src
                URIs: http://mirror.example/debian
                Suites: bookworm bookworm-updates
                Components: main
                Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

                """);
    }

    @Test
    void oneLineEntriesKeepTheirKeyringAndDropArchitectures() {
        String out = SourceEntries.fromOneLine("""
                # deb http://commented.example/ bookworm main
                deb [arch=amd64 signed-by=/k.gpg] http://mirror.example/debian bookworm main contrib
                deb-src http://mirror.example/debian bookworm main
                deb http://security.example/ bookworm-security main
                """);
        assertThat(out).isEqualTo("""
                Types: deb-src
                URIs: http://mirror.example/debian
                Suites: bookworm
                Components: main contrib
                Signed-By: /k.gpg

                Types: deb-src
                URIs: http://security.example/
                Suites: bookworm-security
                Components: main

                """);
    }

    @Test
    void readsSourcesListAndTheListAndSourcesFilesOfItsFolderOnly() throws Exception {
        Path etc = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "etc-apt");
        Files.createDirectories(etc.resolve("sources.list.d"));
        Files.writeString(etc.resolve("sources.list"), "deb http://a.example/ bookworm main\n");
        Files.writeString(etc.resolve("sources.list.d/b.sources"), "Types: deb\nURIs: http://b.example/\nSuites: bookworm\nComponents: main\n");
        Files.writeString(etc.resolve("sources.list.d/c.list.disabled"), "deb http://c.example/ bookworm main\n");
        String out = SourceEntries.debSrcOf(etc);
        assertThat(out).contains("http://a.example/", "http://b.example/").doesNotContain("c.example");
    }
}
