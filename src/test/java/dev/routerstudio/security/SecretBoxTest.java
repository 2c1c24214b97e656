package dev.routerstudio.security;

import dev.routerstudio.StudioProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretBoxTest {

    @TempDir
    Path dir;

    @Test
    void sealsAndOpensHostileTextExactly() {
        SecretBox box = new SecretBox(new StudioProperties(dir), "");
        String hostile = "a\"b'c$(reboot)\\` n\u00e9\u0000";
        String sealed = box.seal(hostile);
        assertThat(sealed).startsWith("v1:").doesNotContain("reboot");
        assertThat(box.open(sealed)).isEqualTo(hostile);
        assertThat(box.seal(hostile)).isNotEqualTo(sealed); // fresh nonce every time
        assertThat(new SecretBox(new StudioProperties(dir), "").open(sealed)).isEqualTo(hostile); // key file reused
    }

    @Test
    void aWrongKeyOrTamperingIsAnErrorNotGarbage() {
        SecretBox box = new SecretBox(new StudioProperties(dir), "");
        String sealed = box.seal("secret");
        String otherKey = Base64.getEncoder().encodeToString(new byte[32]);
        assertThatThrownBy(() -> new SecretBox(new StudioProperties(dir), otherKey).open(sealed))
                .hasMessageContaining("wrong secret key");
        char[] c = sealed.toCharArray();
        c[10] = c[10] == 'A' ? 'B' : 'A';
        assertThatThrownBy(() -> box.open(new String(c))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new SecretBox(new StudioProperties(dir), "c2hvcnQ=")).hasMessageContaining("32 bytes");
    }
}
