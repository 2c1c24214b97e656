package dev.routerstudio.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns the recipe's services into an s6-rc source service set (from the templates under
 * image-pipeline/services/) and compiles it into what the target runs: a boot plan for the
 * runner, oneshot scripts, and service directories for s6-svscan.
 */
public final class ServicesStage {

    /** Where the service tree and the boot-plan runner live in the image. */
    static final String ETC_ROOT = "/etc/s6";

    private static final List<String> SOURCE_FILES = List.of("up", "down", "run", "finish", "notification-fd", "down-signal",
            "data/check");
    /** Source files that are programs: s6-supervise runs them, s6-notifyoncheck runs data/check. */
    static final Set<String> EXECUTABLE = Set.of("run", "finish", "data/check");

    /** How long s6-supervise waits for a longrun to end after its down signal before SIGKILL. */
    static final int SHUTDOWN_KILL_MILLIS = 5000;
    private static final String RUNTIME = ImageRecipe.ROOT + "runtime/";

    public ServiceSet generate(ImageRecipe recipe, Map<String, String> values) {
        ServiceGraph graph = new ServiceGraph();
        Map<String, Map<String, byte[]>> sources = new TreeMap<>();
        List<String> producers = new ArrayList<>();
        for (String name : recipe.services()) {
            String dir = ImageRecipe.ROOT + "services/" + name + "/";
            String type = PipelineResources.text(dir + "type").strip();
            List<String> deps = new ArrayList<>();
            for (String line : PipelineResources.text(dir + "dependencies").split("\n")) {
                String d = line.strip();
                if (d.startsWith("?")) {
                    // ?NAME: after NAME when the image has it (nat waits for the firewall, if any)
                    if (recipe.services().contains(d.substring(1))) {
                        deps.add(d.substring(1));
                    }
                } else if (!d.isEmpty()) {
                    deps.add(d.equals("@uplink") ? recipe.uplink() : d);
                }
            }
            graph.add(name, type, deps);
            Map<String, byte[]> files = new LinkedHashMap<>();
            files.put("type", (type + "\n").getBytes(StandardCharsets.UTF_8));
            // The folder lists dependencies one a line; s6-rc 0.5 and 0.6 want dependencies.d/ of empty files.
            for (String d : deps) {
                files.put("dependencies.d/" + d, new byte[0]);
            }
            for (String f : SOURCE_FILES) {
                if (PipelineResources.exists(dir + f)) {
                    String rendered = TemplateText.render(PipelineResources.text(dir + f), values, "services/" + name + "/" + f);
                    files.put(f, rendered.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (type.equals("oneshot") && !files.containsKey("up")) {
                throw new PipelineException("oneshot service '" + name + "' has no up script");
            }
            if (type.equals("longrun") && !files.containsKey("run")) {
                throw new PipelineException("longrun service '" + name + "' has no run script");
            }
            if (Boolean.parseBoolean(PipelineResources.conf(dir + "service.conf").props().getProperty("produces", "false").trim())) {
                requireReadiness(name, type, files);
                producers.add(name);
            }
            sources.put(name, files);
        }
        List<String> order = graph.bootOrder();
        return new ServiceSet(sources, graph, order, producers);
    }

    /**
     * Under a real s6-rc a dependent starts once the producer is ready, so a producing longrun must
     * declare readiness (and signal it once its outputs are written), or dependents read nothing.
     */
    static void requireReadiness(String name, String type, Map<String, byte[]> files) {
        if (type.equals("longrun") && !files.containsKey("notification-fd")) {
            throw new PipelineException("longrun service '" + name + "' produces outputs but has no notification-fd;"
                    + " its dependents would start before the outputs exist");
        }
    }

    /** The compiled form on the target: plan, dependents lists, oneshots, scandir, runner, init. */
    public void install(ServiceSet set, RootfsLayout root) {
        StringBuilder plan = new StringBuilder();
        for (String name : set.bootOrder()) {
            String type = set.graph().typeOf(name);
            if (type.equals("bundle")) {
                continue;
            }
            plan.append(name).append(' ').append(type);
            for (String d : set.graph().dependenciesOf(name)) {
                plan.append(' ').append(d);
            }
            plan.append('\n');
            Map<String, byte[]> files = set.sources().get(name);
            if (type.equals("oneshot")) {
                for (String f : List.of("up", "down")) {
                    if (files.containsKey(f)) {
                        root.put(FsEntry.bytes("/etc/s6/rc/oneshot/" + name + "/" + f, 0644, files.get(f), "services"));
                    }
                }
            } else {
                String svc = "/etc/s6/scandir/" + name + "/";
                for (String f : List.of("run", "finish", "notification-fd", "down-signal", "data/check")) {
                    if (files.containsKey(f)) {
                        root.put(FsEntry.bytes(svc + f, EXECUTABLE.contains(f) ? 0755 : 0644, files.get(f), "services"));
                    }
                }
                // Started by the boot plan once its dependencies are up, not by s6-svscan at once.
                root.put(FsEntry.text(svc + "down", 0644, "", "services"));
                // SIGKILL when the service is still alive 5 s after its down signal: a daemon that does
                // not end on SIGTERM (dhcpcd, caught mid-start by a reboot in a lab) would otherwise keep
                // s6-supervise, and so s6-svscan's shutdown, waiting for good.
                root.put(FsEntry.text(svc + "timeout-kill", 0644, SHUTDOWN_KILL_MILLIS + "\n", "services"));
            }
        }
        root.put(FsEntry.text("/etc/s6/rc/plan", 0644, plan.toString(), "services"));
        for (String producer : set.producers()) {
            StringBuilder deps = new StringBuilder();
            for (String d : set.graph().dependentsOf(producer)) {
                deps.append(d).append(' ').append(set.graph().typeOf(d)).append('\n');
            }
            root.put(FsEntry.text("/etc/s6/rc/dependents/" + producer, 0644, deps.toString(), "services"));
            root.put(FsEntry.text("/etc/s6/rc/producers/" + producer, 0644, "", "services"));
        }
        root.put(FsEntry.bytes("/etc/s6/rc/boot", 0755, PipelineResources.bytes(RUNTIME + "boot"), "runtime"));
        for (String bin : List.of("await", "start", "mark", "stop", "outputs-write", "outputs-changed", "outputs-clear",
                "udhcpc-script", "dhcp6c-script", "ppp-up", "ppp-down", "listening", "defaultroute", "nat", "firewall", "static-wan", "route-via", "shutdown")) {
            root.put(FsEntry.bytes("/etc/s6/rc/bin/" + bin, 0755, PipelineResources.bytes(RUNTIME + "bin/" + bin), "runtime"));
        }
        for (String f : List.of("finish", "SIGTERM", "SIGINT", "SIGUSR1", "SIGUSR2")) {
            root.put(FsEntry.bytes("/etc/s6/scandir/.s6-svscan/" + f, 0755, PipelineResources.bytes(RUNTIME + "svscan/" + f), "runtime"));
        }
        root.put(FsEntry.bytes("/sbin/init", 0755, PipelineResources.bytes(ImageRecipe.ROOT + "init/stage1"), "runtime"));
        root.put(FsEntry.bytes("/sbin/factory-reset", 0755, PipelineResources.bytes(RUNTIME + "factory-reset"), "runtime"));
    }
}
