package dev.routerstudio.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScriptQuotingTest {

    static final String HOSTILE = "a\"b'c$(reboot)\\` n";

    @ParameterizedTest
    @ValueSource(strings = {HOSTILE, "", "plain", "'", "''", "\\", "$HOME", "`id`", "a\nb", "tab\there", "#comment", "@/etc/passwd", "é ü"})
    void shSingleQuoteRoundTrips(String value) {
        String quoted = ScriptQuoting.sh(value);
        List<String> words = QuotingParsers.shSplit("echo " + quoted);
        assertThat(words).hasSize(2);
        assertThat(QuotingParsers.shWord(words.get(1))).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {HOSTILE, "", "plain", "\"", "\\", "a\nb", "#x", "  lead", "é", "\u007f", "@/etc/shadow"})
    void pppdWordRoundTripsByteExact(String value) {
        String line = "password " + ScriptQuoting.pppd(value) + "\n";
        List<byte[]> words = QuotingParsers.pppdWords(line);
        assertThat(words).hasSize(2);
        assertThat(words.get(1)).isEqualTo(value.getBytes(StandardCharsets.UTF_8));
        assertThat(line).doesNotContainPattern("[\\x00-\\x09\\x0b-\\x1f]");
    }

    @ParameterizedTest
    @ValueSource(strings = {HOSTILE, "eth0", "192.168.1.1/24", "\\\"", "${x}"})
    void execlineWordRoundTrips(String value) {
        assertThat(QuotingParsers.execlineWord(ScriptQuoting.execline(value))).isEqualTo(value);
    }

    @Test
    void execlineRejectsControlCharacters() {
        assertThatThrownBy(() -> ScriptQuoting.execline("a\nb")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tokenAcceptsOnlyHarmlessCharacters() {
        assertThat(ScriptQuoting.token("192.168.1.100")).isEqualTo("192.168.1.100");
        assertThatThrownBy(() -> ScriptQuoting.token("x\ndhcp-script=/bin/sh")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScriptQuoting.token("a b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nulIsRejectedEverywhere() {
        for (String style : List.of("sh", "pppd", "execline", "token", "line")) {
            assertThatThrownBy(() -> ScriptQuoting.quote(style, "a\0b")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void templatePlaceholdersAlwaysQuote() {
        String out = TemplateText.render("ip link set dev {{sh:dev}} up\n", Map.of("dev", HOSTILE), "test");
        List<String> words = QuotingParsers.shSplit(out.strip());
        assertThat(words).hasSize(6);
        assertThat(QuotingParsers.shWord(words.get(4))).isEqualTo(HOSTILE);
    }

    @Test
    void templateNamesAMissingValue() {
        assertThatThrownBy(() -> TemplateText.render("{{sh:wan.device}}", Map.of(), "services/wan.link/run"))
                .hasMessageContaining("services/wan.link/run").hasMessageContaining("wan.device");
    }
}
