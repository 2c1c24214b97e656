package dev.routerstudio.profile;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProfileJsonTest {

    private static Violation violationOf(String json) {
        try {
            ProfileJson.read(json);
        } catch (ProfileValidationException e) {
            return e.violations().get(0);
        }
        throw new AssertionError("expected a violation for " + json);
    }

    /** Slim is the default: only "slim": false is kept, so true and absent are the same profile (and spec hash). */
    @Test
    void slimFalseIsKeptAndSlimIsTheDefault() {
        ProfileSpec spec = Specs.pppoeProfile("home");
        assertThat(ProfileJson.write(ProfileJson.normalize(spec.withSlim(true)))).isEqualTo(ProfileJson.write(ProfileJson.normalize(spec)))
                .doesNotContain("slim");
        String off = ProfileJson.write(ProfileJson.normalize(spec.withSlim(false)));
        assertThat(off).contains("\"slim\" : false");
        assertThat(ProfileJson.normalize(ProfileJson.read(off)).slimEnabled()).isFalse();
        assertThat(spec.slimEnabled()).isTrue();
    }

    @Test
    void canonicalFormHasFixedKeyOrderAndRoundTripsByteForByte() {
        ProfileSpec spec = ProfileJson.normalize(Specs.pppoeProfile("home"));
        String first = ProfileJson.write(spec.withoutSecrets());
        String second = ProfileJson.write(ProfileJson.normalize(ProfileJson.read(first)));
        assertThat(second).isEqualTo(first);
        assertThat(first).endsWith("}\n");
        assertThat(first.indexOf("\"name\"")).isLessThan(first.indexOf("\"description\""));
        assertThat(first.indexOf("\"hostname\"")).isLessThan(first.indexOf("\"target\""));
        assertThat(first.indexOf("\"interfaces\"")).isLessThan(first.indexOf("\"wan\" :"));
        assertThat(first.indexOf("\"packages\"")).isLessThan(first.indexOf("\"services\""));
        assertThat(first).doesNotContain("password").doesNotContain("secret");
    }

    @Test
    void normalizingSortsListsAndFillsDefaults() {
        ProfileSpec spec = Specs.withServices(Specs.withPackages(Specs.pppoeProfile("home"), java.util.List.of("zstd", "curl")),
                java.util.List.of("ntp", "dnsmasq"));
        ProfileSpec n = ProfileJson.normalize(new ProfileSpec(spec.name(), "", spec.hostname(), null, spec.interfaces(),
                spec.wan(), spec.packages(), spec.services(), java.util.List.of(new ProfileSpec.FileSpec("/etc/x", "600", ""))));
        assertThat(n.packages()).containsExactly("curl", "zstd");
        assertThat(n.services()).containsExactly("dnsmasq", "ntp");
        assertThat(n.target()).isEqualTo("malta-mipsel");
        assertThat(n.description()).isNull();
        assertThat(n.files().get(0).mode()).isEqualTo("0600");
    }

    @Test
    void unknownFieldsAreRejectedWithTheirPath() {
        Violation v = violationOf("{\"name\":\"x\",\"interfaces\":{\"wan\":{\"device\":\"eth0\",\"speed\":100}}}");
        assertThat(v.field()).isEqualTo("interfaces.wan.speed");
        assertThat(v.message()).contains("not a known field").contains("device");
    }

    @Test
    void typeConfusionIsRejectedWithTheField() {
        assertThat(violationOf("{\"interfaces\":{\"lan\":{\"mtu\":\"abc\"}}}").field()).isEqualTo("interfaces.lan.mtu");
        assertThat(violationOf("{\"interfaces\":{\"lan\":{\"mtu\":1500.5}}}").message()).contains("whole number");
        assertThat(violationOf("{\"packages\":\"tcpdump\"}").field()).isEqualTo("packages");
        Violation slim = violationOf("{\"slim\":\"yes\"}");
        assertThat(slim.field()).isEqualTo("slim");
        assertThat(slim.message()).isEqualTo("must be true or false");
        assertThat(violationOf("{\"wan\":[1,2]}").field()).isEqualTo("wan");
        assertThat(violationOf("{\"interfaces\":{\"lan\":{\"mtu\":99999999999999999999}}}").field()).isEqualTo("interfaces.lan.mtu");
    }

    @Test
    void malformedJsonSaysWhere() {
        assertThat(violationOf("{\"name\":").message()).contains("not valid JSON").contains("line 1");
        assertThat(violationOf("{} {}").message()).isNotBlank();
        assertThat(violationOf("[]").message()).isNotBlank();
        assertThat(violationOf("").message()).contains("empty");
        assertThat(violationOf("null").message()).contains("null");
    }

    @Test
    void duplicateKeysAreRejected() {
        Violation v = violationOf("{\"name\":\"a\",\"name\":\"b\"}");
        assertThat(v.message()).containsIgnoringCase("duplicate");
    }

    @Test
    void hostileValuesSurviveTheRoundTripUnchanged() {
        String hostile = "a\"b'c$(reboot)\\` n</script>";
        ProfileSpec spec = Specs.pppoeProfile("home").withWan(Specs.pppoe(hostile, hostile));
        assertThat(ProfileJson.read(ProfileJson.write(spec)).wan().password()).isEqualTo(hostile);
        assertThat(((PppoeWan) ProfileJson.read(ProfileJson.write(spec)).wan()).username()).isEqualTo(hostile);
    }

    @Test
    void readingNeverThrowsAnythingButValidationErrors() {
        for (String s : new String[]{"{", "}", "\"x\"", "1", "true", "{\"files\":[null]}", "{\"files\":[1]}",
                "{\"wan\":{\"dns\":[[]]}}", "{\"name\":{}}", "\u0000", "{\"a\":\"\\u0000\"}"}) {
            try {
                ProfileJson.read(s);
            } catch (ProfileValidationException expected) {
                continue;
            }
        }
        assertThatThrownBy(() -> ProfileJson.read("{\"name\":[]}")).isInstanceOf(ProfileValidationException.class);
    }
}
