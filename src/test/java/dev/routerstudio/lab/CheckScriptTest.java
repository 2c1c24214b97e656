package dev.routerstudio.lab;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckScriptTest {

    @Test
    void parsesHeaderStepsAndNestedUntil() {
        CheckScript s = CheckScript.parse("wan", """
                # comment
                title WAN up
                node router
                timeout 90
                requires nat
                failon (PAP|CHAP) authentication failed
                expect within 30 s6-svscan
                until 60 every 3
                  run within 5 ip -4 address show dev ppp0
                  match inet (?<wanaddr>10\\.64\\.0\\.\\d+)
                end
                on isp
                send echo hi
                nomatch error
                exits within 20
                sleep 1
                """);
        assertThat(s.title()).isEqualTo("WAN up");
        assertThat(s.timeoutSeconds()).isEqualTo(90);
        assertThat(s.requires()).containsExactly("nat");
        assertThat(s.failOn()).containsExactly("(PAP|CHAP) authentication failed");
        assertThat(s.steps()).hasSize(7);
        assertThat(s.steps().get(0)).isEqualTo(new CheckScript.Expect(7, 30, "s6-svscan"));
        CheckScript.Until u = (CheckScript.Until) s.steps().get(1);
        assertThat(u.seconds()).isEqualTo(60);
        assertThat(u.everySeconds()).isEqualTo(3);
        assertThat(u.body()).containsExactly(new CheckScript.Run(9, 5, "ip -4 address show dev ppp0"),
                new CheckScript.Match(10, false, "inet (?<wanaddr>10\\.64\\.0\\.\\d+)"));
        assertThat(s.steps().get(4)).isEqualTo(new CheckScript.Match(14, true, "error"));
        assertThat(s.steps().get(5)).isEqualTo(new CheckScript.Exits(15, 20));
        assertThat(CheckEngine.groupNames("a(?<one>x)(?<twoB>y)")).containsExactly("one", "twoB");
    }

    @Test
    void errorsNameTheCheckAndLine() {
        assertThatThrownBy(() -> CheckScript.parse("c", "run ls\nfrobnicate\n"))
                .hasMessage("check c, line 2: unknown word 'frobnicate'");
        assertThatThrownBy(() -> CheckScript.parse("c", "until 5\nrun ls\n"))
                .hasMessage("check c, line 1: 'until' without 'end'");
        assertThatThrownBy(() -> CheckScript.parse("c", "run ls\ntitle late\n"))
                .hasMessageContaining("line 2: 'title' is a header line");
        assertThatThrownBy(() -> CheckScript.parse("c", "run ls\nmatch (unclosed\n"))
                .hasMessageContaining("line 2: bad regex");
        assertThatThrownBy(() -> CheckScript.parse("c", "expect within x y\n"))
                .hasMessageContaining("'x' is not a number of seconds");
        assertThatThrownBy(() -> CheckScript.parse("c", "title only\n")).hasMessageContaining("has no steps");
        assertThatThrownBy(() -> CheckScript.parse("c", "restart isp now\n")).hasMessageContaining("line 1: want 'restart NODE'");
        assertThat(CheckScript.parse("c", "restart isp\n").steps()).containsExactly(new CheckScript.Restart(1, "isp"));
    }

    @Test
    void everyShippedCheckParsesAndUsesOnlyVariablesTheLabDefines() {
        for (String mode : List.of("pppoe", "dhcp", "l2tp", "static")) {
            var spec = switch (mode) {
                case "pppoe" -> LabFixtures.pppoe("pw");
                case "dhcp" -> LabFixtures.dhcp();
                case "l2tp" -> LabFixtures.l2tp();
                default -> LabFixtures.staticWan();
            };
            var lab = dev.routerstudio.pipeline.LabDescription.of(spec);
            for (String c : lab.checks()) {
                CheckScript s = CheckScript.load("qemu-runner/checks/" + c + ".check");
                assertThat(s.steps()).isNotEmpty();
                if (s.requires().stream().anyMatch(r -> !"true".equals(lab.variables().get(r)))) {
                    continue; // skipped in this lab (e.g. the ipv6 checks with IPv6 off): its variables need not exist
                }
                String text = LabResources.text("qemu-runner/checks/" + c + ".check");
                var m = java.util.regex.Pattern.compile("\\$\\{(?:re:)?([A-Za-z0-9_.-]+)}").matcher(text);
                while (m.find()) {
                    String v = m.group(1);
                    // a named group in the check, or in a variable it matches with (prefix6.regex names pd6net)
                    boolean captured = text.contains("(?<" + v + ">") || List.of("wanaddr", "peeraddr").contains(v)
                            || lab.variables().values().stream().anyMatch(val -> val.contains("(?<" + v + ">"));
                    assertThat(lab.variables().containsKey(v) || captured)
                            .as(mode + ": " + c + " uses ${" + v + "}").isTrue();
                }
                assertThat(s.steps()).isNotEmpty();
            }
        }
    }
}
