package dev.routerstudio.node;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodePropertiesTest {

    private static NodeProperties node(NodeProperties.Role role, String url, String secret) {
        return new NodeProperties(role, "n1", Duration.ofSeconds(2), Duration.ofSeconds(20), url, secret);
    }

    @Test
    void aWorkerTakesLabsFromOthersOnlyWithAUrlAndTheSecret() {
        String secret = "0123456789abcdef0123";
        assertThat(node(NodeProperties.Role.WORKER, "http://worker-1:8080/", secret).takesRemoteLabs()).isTrue();
        assertThat(node(NodeProperties.Role.WORKER, "http://worker-1:8080/", secret).url()).isEqualTo("http://worker-1:8080");
        assertThat(node(NodeProperties.Role.WORKER, null, secret).takesRemoteLabs()).isFalse();
        assertThat(node(NodeProperties.Role.WORKER, "http://worker-1:8080", null).takesRemoteLabs()).isFalse();
        // a web node runs no labs, whatever it is told
        assertThat(node(NodeProperties.Role.WEB, "http://web:8080", secret).takesRemoteLabs()).isFalse();
        assertThat(node(NodeProperties.Role.ALL, " ", " ").url()).isNull();
    }

    @Test
    void aBadUrlOrAShortSecretIsRefusedWithTheSetting() {
        assertThatThrownBy(() -> node(NodeProperties.Role.WORKER, "worker-1:8080", null))
                .hasMessageContaining("studio.node.url").hasMessageContaining("http://worker-1:8080");
        assertThatThrownBy(() -> node(NodeProperties.Role.WORKER, "http://a b", null)).hasMessageContaining("studio.node.url");
        assertThatThrownBy(() -> node(NodeProperties.Role.WORKER, null, "short"))
                .hasMessageContaining("studio.node.secret").hasMessageContaining("at least 16");
    }
}
