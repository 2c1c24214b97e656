package dev.routerstudio.pipeline;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A target as its folder image-pipeline/targets/ID/target.conf describes it: Debian architecture,
 * kernel package, loader and multiarch triplet, console and root device, the kernel features the
 * image needs on it, and how QEMU emulates it. Nothing else keeps a list of targets: {@link #ids()}
 * lists the folders.
 */
public record TargetSpec(String id, String label, String arch, String kernelPackage, String loader, String triplet,
                         String console, String rootDevice, List<String> kernelFeatures, List<String> bootFeatures,
                         String qemu, String qemuMachine, int memoryMb, int peerMemoryMb, String nicModel,
                         String nicOptions, String diskInterface, List<String> qemuFlags, String userEmulator,
                         List<String> hostPackages, Store store) {

    /**
     * The router's writable store in a lab: the guest device (store=DEV on the kernel command
     * line), the image size in MiB and QEMU's drive options.
     */
    public record Store(String device, int sizeMb, String drive) {
    }

    static final String ROOT = ImageRecipe.ROOT + "targets/";
    /** Targets only lab peers run on (no firmware is built for them): image-pipeline/peer-targets/ID. */
    static final String PEER_ROOT = ImageRecipe.ROOT + "peer-targets/";

    /** The target in image-pipeline/targets/ID/, or a PipelineException naming the targets there are. */
    public static TargetSpec load(String id) {
        if (id == null || !id.matches("[a-z0-9][a-z0-9-]*") || !PipelineResources.exists(ROOT + id + "/target.conf")) {
            throw new PipelineException("target '" + id + "' is not supported; targets: " + String.join(", ", ids()));
        }
        return load(ROOT, id);
    }

    /**
     * Every machine a lab peer can run on, by QEMU's name for its CPU ({@link #qemuArch()}): the
     * firmware targets' and the peer targets'. The first target of an architecture wins.
     */
    public static java.util.Map<String, TargetSpec> peerMachines() {
        java.util.Map<String, TargetSpec> out = new java.util.TreeMap<>();
        for (TargetSpec t : all()) {
            out.putIfAbsent(t.qemuArch(), t);
        }
        for (String id : folders(PEER_ROOT)) {
            TargetSpec t = load(PEER_ROOT, id);
            out.putIfAbsent(t.qemuArch(), t);
        }
        return out;
    }

    /** QEMU's name for the CPU, from the emulator's name: qemu-system-x86_64 → x86_64, qemu-system-mipsel → mipsel. */
    public String qemuArch() {
        return qemu.startsWith("qemu-system-") ? qemu.substring("qemu-system-".length()) : qemu;
    }

    private static TargetSpec load(String root, String id) {
        PipelineResources.Conf c = PipelineResources.conf(root + id + "/target.conf");
        return new TargetSpec(id, c.get("label"), c.get("arch"), c.get("kernel.package"), c.get("loader"), c.get("triplet"),
                c.get("console"), c.get("root"), c.list("kernel"), c.list("boot"), c.get("qemu"), c.get("qemu.machine"),
                number(c, "qemu.memory"), number(c, "qemu.memory.peer"), c.get("qemu.nic"),
                c.props().getProperty("qemu.nic.options", "").trim(), c.get("qemu.disk"), c.list("qemu.flags"),
                c.get("user.emulator"), c.list("host.packages"),
                new Store(c.get("store"), number(c, "store.size"), c.get("qemu.store")));
    }

    /** The ids of every target folder, sorted. */
    public static List<String> ids() {
        return folders(ROOT);
    }

    private static List<String> folders(String root) {
        TreeSet<String> ids = new TreeSet<>();
        try {
            for (Resource r : new PathMatchingResourcePatternResolver().getResources("classpath*:" + root + "*/target.conf")) {
                String url = r.getURL().toString();
                String dir = url.substring(0, url.lastIndexOf("/target.conf"));
                ids.add(dir.substring(dir.lastIndexOf('/') + 1));
            }
        } catch (IOException e) {
            throw new PipelineException("cannot list " + root + ": " + e.getMessage());
        }
        return List.copyOf(ids);
    }

    /** Whether a target folder of this id exists. */
    public static boolean exists(String id) {
        return id != null && id.matches("[a-z0-9][a-z0-9-]*") && PipelineResources.exists(ROOT + id + "/target.conf");
    }

    /** The guest device of the serial console, e.g. /dev/ttyS0. */
    public String consoleDevice() {
        return "/dev/" + console;
    }

    /** The kernel command line every guest of this target boots with. */
    public String kernelAppend() {
        return "console=" + console + " panic=1 root=" + rootDevice;
    }

    /** Where the dynamic linker looks for libraries on this target, in order. */
    public List<String> libraryDirs() {
        return List.of("/lib/" + triplet, "/usr/lib/" + triplet, "/lib", "/usr/lib");
    }

    private static int number(PipelineResources.Conf c, String key) {
        try {
            return Integer.parseInt(c.get(key));
        } catch (NumberFormatException e) {
            throw new PipelineException(c.path() + ": '" + key + "' must be a number, not '" + c.get(key) + "'");
        }
    }

    /** For messages: the listing, e.g. for a profile form. */
    public static List<TargetSpec> all() {
        List<TargetSpec> out = new ArrayList<>();
        for (String id : ids()) {
            out.add(load(id));
        }
        return out;
    }
}
