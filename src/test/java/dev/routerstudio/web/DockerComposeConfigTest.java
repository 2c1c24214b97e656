package dev.routerstudio.web;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** docker-compose.yml stays valid; checked with docker-compose itself, which needs no engine for this. */
class DockerComposeConfigTest {

    @Test
    void composeFileIsValid() throws Exception {
        boolean installed = new File("/usr/bin/docker-compose").canExecute();
        if (System.getenv("CI") == null) {
            assumeTrue(installed, "docker-compose is not installed (bin/setup installs it)");
        }
        assertThat(config(true)).startsWith("0:");
        // The nodes' shared secret has no default: without it, compose says what to set.
        assertThat(config(false)).doesNotStartWith("0:").contains("STUDIO_NODE_SECRET");
    }

    /** "EXIT:output" of docker-compose config, with or without STUDIO_NODE_SECRET set. */
    private static String config(boolean secret) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("docker-compose", "-f", "docker-compose.yml", "config", "-q").redirectErrorStream(true);
        pb.environment().remove("STUDIO_NODE_SECRET");
        if (secret) {
            pb.environment().put("STUDIO_NODE_SECRET", "compose-test-secret-0123456789");
        }
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() + ":" + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
