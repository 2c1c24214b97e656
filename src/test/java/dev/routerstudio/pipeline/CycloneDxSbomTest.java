package dev.routerstudio.pipeline;

import org.cyclonedx.Version;
import org.cyclonedx.exception.ParseException;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The SBOM's own rules: DEP-5 licences, CycloneDX 1.5 validity (cyclonedx-core-java's schema validator), fixed bytes. */
class CycloneDxSbomTest {

    static final Path DIR = Path.of("target/sbom-test").toAbsolutePath();

    static final String DEP5 = """
            Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
            Upstream-Name: dnsmasq
            Source: https://thekelleys.org.uk/dnsmasq/

            Files: *
            Copyright: 2000-2022 Simon Kelley
            License: GPL-2 or GPL-3

            Files: contrib/*
            Copyright: others
            License: GPL-2+
             A short text that
             .
             continues.

            Files: debian/*
            License: GPL-2 or GPL-3

            License: GPL-2+
             The full text, which is not a use of the licence.

            License: MIT
             Only a text too.
            """;

    @Test
    void dep5NamesEachFilesLicenceOnceAndFreeFormFilesNone() {
        assertThat(CycloneDxSbom.dep5Licences(DEP5)).containsExactly("GPL-2 or GPL-3", "GPL-2+");
        assertThat(CycloneDxSbom.dep5Licences("This is Debian's prepackaged version of foo.\n\nCopyright: me\nLicense: GPL\n"))
                .isEmpty();
        assertThat(CycloneDxSbom.dep5Licences("Format: http://dep.debian.net/deps/dep5\nLicense: BSD-3-clause\n\nFiles: *\nLicense: ISC\n"))
                .containsExactly("BSD-3-clause", "ISC");
        // a header License with no short name, only text (xz-utils does this), names nothing
        assertThat(CycloneDxSbom.dep5Licences("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
                + "License:\n Different licenses apply to different files.\n\nFiles: *\nLicense: PD\n")).containsExactly("PD");
    }

    @Test
    void purlVersionsArePercentEncoded() {
        CycloneDxSbom.PackageFacts busybox = new CycloneDxSbom.PackageFacts("busybox-static", "1:1.35.0-4+deb12u1+b1", "busybox",
                "1:1.35.0-4+deb12u1", List.of(), false);
        assertThat(busybox.purl()).isEqualTo("pkg:deb/debian/busybox-static@1%3A1.35.0-4%2Bdeb12u1%2Bb1?arch=mipsel");
        assertThat(new CycloneDxSbom.PackageFacts("dnsmasq-base", "2.90-4~deb12u2", "dnsmasq", "2.90-4~deb12u2", List.of(), false).purl())
                .isEqualTo("pkg:deb/debian/dnsmasq-base@2.90-4~deb12u2?arch=mipsel");
    }

    @Test
    void theSbomIsValidCycloneDx15AndTheSameBytesForTheSameBuild() throws Exception {
        Files.createDirectories(DIR);
        List<CycloneDxSbom.PackageFacts> packages = List.of(
                new CycloneDxSbom.PackageFacts("dnsmasq-base", "2.90-4~deb12u1", "dnsmasq", "2.90-4~deb12u1", List.of("GPL-2 or GPL-3"), false),
                new CycloneDxSbom.PackageFacts("libc6", "2.36-9+deb12u10", "glibc", "2.36-9+deb12u10", List.of(), false),
                new CycloneDxSbom.PackageFacts("linux-image-6.1.0-41-4kc-malta", "6.1.158-1", "linux-signed-mipsel", "6.1.158+1", List.of(), true));
        String hash = "ab".repeat(32);
        Path a = CycloneDxSbom.write("home", hash, packages, "cd".repeat(32), DIR.resolve("a.json"));
        Path b = CycloneDxSbom.write("home", hash, packages, "cd".repeat(32), DIR.resolve("b.json"));
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
        List<ParseException> problems = new JsonParser().validate(Files.readAllBytes(a), Version.VERSION_15);
        assertThat(problems).as(problems.toString()).isEmpty();
        String text = Files.readString(a);
        // the validator does look: a component type the schema does not know is refused
        assertThat(new JsonParser().validate(text.replace("\"operating-system\"", "\"kernel\"").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Version.VERSION_15)).isNotEmpty();
        assertThat(text).contains("\"specVersion\" : \"1.5\"").contains("pkg:deb/debian/libc6@2.36-9%2Bdeb12u10?arch=mipsel")
                .doesNotContain("timestamp");
        assertThat(CycloneDxSbom.write("home", "ef".repeat(32), packages, "cd".repeat(32), DIR.resolve("c.json")))
                .satisfies(c -> assertThat(Files.readString(c)).isNotEqualTo(text));
    }
}
