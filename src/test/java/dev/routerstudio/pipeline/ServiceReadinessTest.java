package dev.routerstudio.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Readiness and dependencies as the generated scripts state them, read by parsing them (never by
 * running them): what a real s6-rc would do with the bundle's services/, and what the studio's
 * runner does on the router.
 */
class ServiceReadinessTest {

    @ParameterizedTest
    @MethodSource("dev.routerstudio.pipeline.TestProfiles#modes")
    void producersAreReadyOnlyOnceTheirOutputsAreWritten(String mode) {
        ServiceSet set = generate(mode);
        for (String producer : set.producers()) {
            Map<String, byte[]> files = set.sources().get(producer);
            if (set.graph().typeOf(producer).equals("oneshot")) {
                continue; // a oneshot is ready when its up script (which writes the outputs) succeeded
            }
            assertThat(text(files, "notification-fd")).isEqualTo("3\n");
            List<List<String>> run = execlineChain(text(files, "run"));
            List<String> notify = run.get(run.size() - 2);
            assertThat(notify).as(producer + ": s6-notifyoncheck chain-loads the daemon")
                    .containsExactly("s6-notifyoncheck", "-d", "-n", "0", "-w", "200");
            assertThat(text(files, "data/check")).startsWith("#!/bin/sh\n");
            assertThat(commands(text(files, "data/check"))).containsExactly("test -d /run/services/outputs/" + producer);
        }
    }

    @Test
    void dnsmasqIsReadyOnceItListensForDhcpAndDns() {
        Map<String, byte[]> files = generate("dhcp").sources().get("dnsmasq");
        assertThat(text(files, "notification-fd")).isEqualTo("3\n");
        List<List<String>> run = execlineChain(text(files, "run"));
        assertThat(run.get(run.size() - 2)).containsExactly("s6-notifyoncheck", "-d", "-n", "0", "-w", "250");
        assertThat(run.get(run.size() - 1).get(0)).isEqualTo("/usr/sbin/dnsmasq");
        assertThat(commands(text(files, "data/check"))).containsExactly("exec /etc/s6/rc/bin/listening udp 67 53");
    }

    @Test
    void theRouterGetsTheReadinessFilesWithTheRightModes() {
        ServiceSet set = generate("pppoe");
        RootfsLayout root = new RootfsLayout();
        new ServicesStage().install(set, root);
        Map<String, FsEntry> byPath = new java.util.HashMap<>();
        root.entries().forEach(e -> byPath.put(e.path(), e));
        for (String svc : List.of("wan.link.pppoe", "dnsmasq")) {
            assertThat(byPath.get("/etc/s6/scandir/" + svc + "/notification-fd").mode()).isEqualTo(0644);
            assertThat(byPath.get("/etc/s6/scandir/" + svc + "/data/check").mode()).isEqualTo(0755);
        }
        // every longrun is killed 5 s after its down signal, so no daemon can hold a reboot up
        for (String svc : set.bootOrder()) {
            if (set.graph().typeOf(svc).equals("longrun")) {
                assertThat(new String(byPath.get("/etc/s6/scandir/" + svc + "/timeout-kill").content(), java.nio.charset.StandardCharsets.UTF_8))
                        .as(svc).isEqualTo("5000\n");
            }
        }
        for (String bin : List.of("await", "mark", "outputs-write", "listening")) {
            assertThat(byPath.get("/etc/s6/rc/bin/" + bin).mode()).isEqualTo(0755);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.routerstudio.pipeline.TestProfiles#modes")
    void dependenciesAreADependenciesDirectoryNamingServicesOfTheSet(String mode) {
        ServiceSet set = generate(mode);
        ImageRecipe recipe = ImageRecipe.of(TestProfiles.load(mode));
        for (Map.Entry<String, Map<String, byte[]>> s : set.sources().entrySet()) {
            assertThat(s.getValue()).as(s.getKey()).doesNotContainKey("dependencies");
            List<String> deps = new ArrayList<>();
            s.getValue().forEach((f, bytes) -> {
                if (f.startsWith("dependencies.d/")) {
                    assertThat(bytes).as(f).isEmpty();
                    deps.add(f.substring("dependencies.d/".length()));
                }
            });
            assertThat(deps).as(s.getKey()).containsExactlyInAnyOrderElementsOf(set.graph().dependenciesOf(s.getKey()));
            assertThat(set.sources().keySet()).containsAll(deps);
        }
        // @uplink in the folder became the mode's uplink service
        assertThat(set.sources().get("defaultroute")).containsKey("dependencies.d/" + recipe.uplink());
        assertThat(set.sources().get("nat")).containsKey("dependencies.d/" + recipe.uplink());
    }

    @Test
    void aProducingLongrunWithoutNotificationFdIsABuildError() {
        Map<String, byte[]> silent = Map.of("type", "longrun\n".getBytes(StandardCharsets.UTF_8), "run", new byte[1]);
        assertThatThrownBy(() -> ServicesStage.requireReadiness("wan.silent", "longrun", silent))
                .isInstanceOf(PipelineException.class)
                .hasMessage("longrun service 'wan.silent' produces outputs but has no notification-fd;"
                        + " its dependents would start before the outputs exist");
        ServicesStage.requireReadiness("wan.addr", "oneshot", Map.of()); // a oneshot is ready when its up script succeeded
    }

    @Test
    void natReplacesOnlyItsOwnTable() {
        String nat = PipelineResources.text(ImageRecipe.ROOT + "runtime/bin/nat");
        assertThat(nat).doesNotContain("flush ruleset");
        List<String> tables = new ArrayList<>();
        var m = java.util.regex.Pattern.compile("(?m)^\\s*(?:delete )?table (\\S+ \\S+)").matcher(nat);
        while (m.find()) {
            tables.add(m.group(1));
        }
        assertThat(tables).containsOnly("ip studio_nat").hasSize(3);
        assertThat(execlineChain(text(generate("dhcp").sources().get("nat"), "down")))
                .containsExactly(List.of("nft", "delete", "table", "ip", "studio_nat"));
    }

    @Test
    void theRunnerWaitsOnEventsAndReadinessNotOnSleeps() {
        String boot = PipelineResources.text(ImageRecipe.ROOT + "runtime/boot");
        String await = PipelineResources.text(ImageRecipe.ROOT + "runtime/bin/await");
        String start = PipelineResources.text(ImageRecipe.ROOT + "runtime/bin/start");
        // boot sleeps only until s6-svscan answers; dependencies are awaited, not polled
        assertThat(commands(boot)).contains("fifodirs=\"$fifodirs /run/services/events/$name\"", "mkdir -m 1733 $fifodirs");
        assertThat(commands(boot)).filteredOn(l -> l.contains("sleep")).containsExactly(
                "until s6-svscanctl -a /run/service 2>/dev/null; do sleep 0.1; done");
        assertThat(commands(boot)).contains("\"$rc/bin/await\" \"$name\" $deps && \"$rc/bin/start\" \"$name\" \"$type\" &");
        assertThat(await).doesNotContain("sleep");
        assertThat(commands(await)).contains(
                // the listener's report of the event (an "r" line) must not reach the console
                "s6-ftrig-listen1 -t 30000 \"/run/services/events/$dep\" r \"$0\" --recheck \"$dep\" >/dev/null ||");
        // a longrun is up when s6 says it is ready, with a timeout that reports instead of hanging
        assertThat(commands(start)).contains("if [ -e \"$svc/notification-fd\" ]; then wait=-U; else wait=-u; fi",
                "s6-svwait \"$wait\" -t 30000 \"$svc\"");
        assertThat(start).contains("is not ready after 30 s, still waiting");
    }

    private static ServiceSet generate(String mode) {
        var spec = TestProfiles.load(mode);
        ImageRecipe recipe = ImageRecipe.of(spec);
        return new ServicesStage().generate(recipe, ProfileValues.of(spec, recipe.uplink()));
    }

    private static String text(Map<String, byte[]> files, String name) {
        assertThat(files).as("has " + name).containsKey(name);
        return new String(files.get(name), StandardCharsets.UTF_8);
    }

    /** The commands of a sh script: lines without comments, the shebang or indentation. */
    private static List<String> commands(String script) {
        return script.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    /** An execline script as a chain of commands, one a line, each split into words (quoted words unquoted). */
    static List<List<String>> execlineChain(String script) {
        List<List<String>> chain = new ArrayList<>();
        for (String line : commands(script)) {
            List<String> words = new ArrayList<>();
            for (String w : line.split(" (?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
                words.add(w.startsWith("\"") ? QuotingParsers.execlineWord(w) : w);
            }
            chain.add(words);
        }
        return chain;
    }
}
