package dev.routerstudio.lab;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine against a fake node: a tiny "shell" that answers typed lines on its console buffer. */
class CheckEngineTest {

    /** Echoes each typed line like a terminal, then runs the marker protocol with canned outputs. */
    static class FakeShell implements CheckNode {
        final ConsoleBuffer buffer = new ConsoleBuffer(1 << 16);
        final Map<String, String> answers;
        final AtomicInteger typed = new AtomicInteger();

        FakeShell(Map<String, String> answers) {
            this.answers = answers;
        }

        public String name() {
            return "router";
        }

        public ConsoleBuffer buffer() {
            return buffer;
        }

        public void type(String text) {
            typed.incrementAndGet();
            buffer.append("gateway:~# \u001b[6n" + text.replace("\n", "\r\n"));
            Matcher m = Pattern.compile("echo @B\"\"(\\d+); (.*); echo @E\"\"\\1 \\$\\?").matcher(text.strip());
            if (m.matches()) {
                String out = answers.getOrDefault(m.group(2), "sh: " + m.group(2) + ": not found\r\n");
                buffer.append("@B" + m.group(1) + "\r\n" + out + "@E" + m.group(1) + " 0\r\n");
            }
        }

        public Integer awaitExit(Duration timeout) {
            return 0;
        }
    }

    @Test
    void runCapturesOutputAndNamedGroupsFeedLaterSteps() {
        FakeShell sh = new FakeShell(Map.of(
                "ip -4 address show dev ppp0", "    inet 10.64.0.100 peer 10.64.0.1/32 scope global ppp0\r\n",
                "cat /run/services/outputs/wan.link.pppoe/address", "10.64.0.100\r\n"));
        sh.buffer.append("[    5.9] stage1: starting s6-svscan\r\n");
        CheckScript s = CheckScript.parse("wan", """
                expect within 5 starting s6-svscan
                run ip -4 address show dev ${ifname}
                match inet (?<wanaddr>${pool})
                run cat /run/services/outputs/wan.link.pppoe/address
                match ^${re:wanaddr}$
                """);
        try (CheckEngine e = new CheckEngine(List.of(sh), Map.of("ifname", "ppp0", "pool", "10\\.64\\.0\\.\\d+"), () -> 1.0)) {
            CheckResult r = e.run(s, p -> { });
            assertThat(r.status()).as(r.detail()).isEqualTo(CheckStatus.PASSED);
            assertThat(r.excerpt()).contains("stage1: starting s6-svscan").contains("inet 10.64.0.100 peer");
            assertThat(e.variables()).containsEntry("wanaddr", "10.64.0.100");
        }
    }

    @Test
    void aFailureSaysWhatWasExpectedAndShowsTheLastLines() {
        FakeShell sh = new FakeShell(Map.of("ip -4 address show dev ppp0", "ip: can't find device 'ppp0'\r\n"));
        CheckScript s = CheckScript.parse("wan", """
                timeout 10
                until 2 every 1
                  run within 1 ip -4 address show dev ppp0
                  match inet 10\\.64
                end
                """);
        try (CheckEngine e = new CheckEngine(List.of(sh), Map.of(), () -> 1.0)) {
            CheckResult r = e.run(s, p -> { });
            assertThat(r.status()).isEqualTo(CheckStatus.FAILED);
            assertThat(r.detail()).contains("not true within 2 s").contains("expected /inet 10\\.64/")
                    .contains("it printed: ip: can't find device 'ppp0'");
            assertThat(r.excerpt()).startsWith("last lines of the router console:").contains("can't find device");
            assertThat(r.excerpt()).doesNotContain("\u001b");
            assertThat(sh.typed.get()).isBetween(2, 3);
        }
    }

    @Test
    void failOnEndsTheCheckAtOnceWithTheOffendingLine() {
        FakeShell sh = new FakeShell(Map.of());
        CheckScript s = CheckScript.parse("wan", """
                timeout 30
                failon (PAP|CHAP) authentication failed
                until 20 every 1
                  expect within 20 ppp0 is up
                end
                """);
        new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException ignored) {
                return;
            }
            sh.buffer.append("Connect: ppp0 <--> eth0\r\nCHAP authentication failed\r\n");
        }).start();
        long t0 = System.nanoTime();
        try (CheckEngine e = new CheckEngine(List.of(sh), Map.of(), () -> 1.0)) {
            CheckResult r = e.run(s, p -> { });
            assertThat(r.status()).isEqualTo(CheckStatus.FAILED);
            assertThat(r.detail()).isEqualTo("the router console printed \"CHAP authentication failed\"");
        }
        assertThat((System.nanoTime() - t0) / 1_000_000_000.0).isLessThan(5);
    }

    @Test
    void aCheckThatNeedsAnOffServiceIsSkippedAndUnknownVariablesFailClearly() {
        FakeShell sh = new FakeShell(Map.of());
        try (CheckEngine e = new CheckEngine(List.of(sh), Map.of("nat", "false"), () -> 1.0)) {
            CheckResult skipped = e.run(CheckScript.parse("nat", "requires nat\nrun ls\n"), p -> { });
            assertThat(skipped.status()).isEqualTo(CheckStatus.SKIPPED);
            assertThat(skipped.detail()).contains("nat is off for this profile");
            CheckResult bad = e.run(CheckScript.parse("v", "run ls ${nope}\n"), p -> { });
            assertThat(bad.status()).isEqualTo(CheckStatus.FAILED);
            assertThat(bad.detail()).contains("${nope}");
        }
    }

    @Test
    void aCheckCutsALinkAndTheLinkIsBackAsItWasWhenTheCheckEnds() throws Exception {
        java.nio.file.Path base = java.nio.file.Path.of("target", "tmp").toAbsolutePath();
        java.nio.file.Files.createDirectories(base);
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory(base, "engine-links-");
        try (dev.routerstudio.lab.link.LabLinks links = dev.routerstudio.lab.link.LabLinks.open(dir,
                List.of(new dev.routerstudio.lab.link.LabLinks.Spec("access", "router", "isp")), 1 << 20, line -> { })) {
            var access = links.link("access");
            access.change(new dev.routerstudio.lab.link.LinkChange(null, 5.0, null, null));
            FakeShell sh = new FakeShell(Map.of("ip link", "2: eth0: <BROADCAST>\r\n"));
            CheckScript s = CheckScript.parse("cut", """
                    link access down
                    link access loss 10 delay 50
                    run ip link
                    sleep ${d}*0+0
                    until ${d}*0+3 every 1
                      run ip link
                      match eth0
                    end
                    """);
            try (CheckEngine e = new CheckEngine(List.of(sh), Map.of("d", "50"), () -> 1.0, links)) {
                CheckResult r = e.run(s, p -> { });
                assertThat(r.status()).as(r.detail()).isEqualTo(CheckStatus.PASSED);
                assertThat(r.excerpt()).contains("[link access] down, loss 5.0 %, delay 0 ms, jitter 0 ms (at 1.0 s)").contains("[link access] down, loss 10.0 %, delay 50 ms");
                // a failing check's changes are undone too
                CheckResult failed = e.run(CheckScript.parse("cut-and-fail", """
                        link access down
                        run ip link
                        match wlan0
                        """), p -> { });
                assertThat(failed.status()).isEqualTo(CheckStatus.FAILED);
                CheckResult unknown = e.run(CheckScript.parse("other", "link wan down\n"), p -> { });
                assertThat(unknown.detail()).contains("this lab has no link 'wan' (links: access)");
            }
            assertThat(access.status().state()).isEqualTo("up");
            assertThat(access.status().impairment()).isEqualTo(new dev.routerstudio.lab.link.Impairment(5, 0, 0));
            try (CheckEngine none = new CheckEngine(List.of(new FakeShell(Map.of())), Map.of(), () -> 1.0)) {
                assertThat(none.run(CheckScript.parse("x", "link access down\n"), p -> { }).detail()).contains("no relayed links");
            }
        } finally {
            org.springframework.util.FileSystemUtils.deleteRecursively(dir);
        }
    }

    @Test
    void linkStepsAndSecondExpressionsAreCheckedWhenTheScriptIsRead() {
        CheckScript s = CheckScript.parse("t", "link access loss 10 delay 50\nuntil ${a}*${b}+15 every 2\n  sleep 1\nend\nsleep ${a}\n");
        assertThat(s.steps().get(0)).isEqualTo(new CheckScript.Link(1, "access", new dev.routerstudio.lab.link.LinkChange(null, 10.0, 50, null)));
        assertThat(((CheckScript.Until) s.steps().get(1)).secondsExpr()).isEqualTo("${a}*${b}+15");
        assertThat(CheckScript.evalSeconds("10*3+15")).isEqualTo(45);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CheckScript.parse("t", "link access sideways\n"))
                .hasMessageContaining("check t, line 1: want 'up', 'down'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CheckScript.parse("t", "link access\n"))
                .hasMessageContaining("want 'link NAME down|up|clear'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CheckScript.parse("t", "link access loss 150\n"))
                .hasMessageContaining("lossPercent must be 0–100");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CheckScript.parse("t", "until ${a}-1\nsleep 1\nend\n"))
                .hasMessageContaining("is not a number of seconds");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CheckScript.evalSeconds("x+1")).hasMessageContaining("'x'");
    }

    /** restart: the node is powered off and booted again; an expect after it sees the new boot only, never the old one. */
    @Test
    void restartPowerCyclesANodeAndLaterExpectsSeeOnlyItsNewBoot() {
        AtomicInteger restarts = new AtomicInteger();
        FakeShell isp = new FakeShell(Map.of()) {
            @Override
            public String name() {
                return "isp";
            }

            @Override
            public void restart() throws java.io.IOException {
                buffer.close();
                buffer.reopen();
                restarts.incrementAndGet();
                buffer.append("peer: starting role isp-pppoe\r\npeer: role isp-pppoe ready (boot " + restarts.get() + ")\r\n");
            }
        };
        isp.buffer.append("peer: role isp-pppoe ready (boot 0)\r\n");
        CheckScript s = CheckScript.parse("isp-restart", """
                node isp
                timeout 10
                restart ${peer}
                expect within 5 role \\S+ ready \\(boot (?<boot>\\d+)\\)
                """);
        try (CheckEngine e = new CheckEngine(List.of(new FakeShell(Map.of()), isp), Map.of("peer", "isp"), () -> 1.0)) {
            CheckResult r = e.run(s, p -> { });
            assertThat(r.status()).as(r.detail()).isEqualTo(CheckStatus.PASSED);
            assertThat(e.variables()).containsEntry("boot", "1");
            assertThat(r.excerpt()).contains("[isp] powered off and booted again");
            assertThat(isp.buffer.isClosed()).isFalse();
        }
        // a node that cannot be restarted (the router: it reboots itself) fails the check, saying why
        CheckScript router = CheckScript.parse("r", "restart router\n");
        try (CheckEngine e = new CheckEngine(List.of(new FakeShell(Map.of())), Map.of(), () -> 1.0)) {
            CheckResult r = e.run(router, p -> { });
            assertThat(r.status()).isEqualTo(CheckStatus.FAILED);
            assertThat(r.detail()).contains("restarting router failed: node router cannot be restarted here");
        }
    }
}
