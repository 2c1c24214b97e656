package dev.routerstudio.lab;

import dev.routerstudio.pipeline.PipelineException;
import dev.routerstudio.pipeline.TargetSpec;
import dev.routerstudio.pipeline.TemplateText;
import dev.routerstudio.profile.ProfileValidator;
import dev.routerstudio.profile.Violation;
import io.swagger.v3.oas.annotations.media.Schema;

import java.nio.file.Path;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A user's own ISP peer: an uploaded disk image (qcow2 or raw) and, for a kernel boot, its kernel
 * and initrd, booted in a lab in place of the built-in ISP (see {@link PeerVmStore}). The lab
 * waits for {@link Descriptor#ready()} on its console, then types {@link Descriptor#consoleLines()},
 * rendered over the lab's ISP values with the same quoting helpers as every generated file.
 */
public record PeerVm(Descriptor descriptor, Path disk, String diskFormat, long diskBytes, Path kernel, Path initrd,
                     Instant uploadedAt) {

    /** What the user says of the image; null fields take the defaults. */
    @Schema(description = "How to boot an uploaded peer VM and how to tell it is ready")
    public record Descriptor(
            @Schema(description = "its name in the studio: 1-40 of a-z, 0-9 and -, starting with a letter or digit", example = "accel-ppp")
            String name,
            @Schema(description = "a line for people (optional)") String description,
            @Schema(description = "the CPU it runs on", allowableValues = {"x86_64", "mipsel"}) String arch,
            @Schema(description = "MiB of memory, 32-4096 (default 256)") Integer memoryMb,
            @Schema(description = "the kernel command line of a kernel boot (default console=ttyS0); a disk boot has none",
                    example = "console=ttyS0 root=/dev/sda") String append,
            @Schema(description = "which of its NICs (0-3, default 0) is the access link to the router; those before it are unplugged")
            Integer accessNic,
            @Schema(description = "a regular expression its serial console prints once it serves (Java syntax, matched line by line)",
                    example = "accel-ppp.*started") String ready,
            @Schema(description = "how long to wait for ready, 5-600 s (default 120)") Integer readySeconds,
            @Schema(description = "lines typed into its console once it is ready, at most 20; {{sh:username}}, {{sh:password}} and the "
                    + "lab's other ISP values are put in quoted for the shell (or {{pppd:…}} for pppd's files)")
            List<String> consoleLines,
            @Schema(description = "it serves the lab's world page (http://{{world.address}}/ with the world marker) itself, as the "
                    + "built-in ISP does; otherwise the checks that fetch it are left out") Boolean world,
            @Schema(description = "it gives the router IPv6 as the built-in ISP does (an address and a delegated /56); otherwise the "
                    + "IPv6 checks are left out") Boolean ipv6) {

        public Descriptor {
            consoleLines = consoleLines == null ? List.of() : java.util.Collections.unmodifiableList(new ArrayList<>(consoleLines));
        }

        public int memory() {
            return memoryMb == null ? 256 : memoryMb;
        }

        public int access() {
            return accessNic == null ? 0 : accessNic;
        }

        public int readyTimeout() {
            return readySeconds == null ? 120 : readySeconds;
        }

        public boolean servesWorld() {
            return Boolean.TRUE.equals(world);
        }

        public boolean servesIpv6() {
            return Boolean.TRUE.equals(ipv6);
        }

        /** Every field error, given whether a kernel came with it (a kernel boot) or not (a disk boot). */
        public List<Violation> violations(boolean kernelBoot) {
            List<Violation> bad = new ArrayList<>();
            if (name == null || !name.matches("[a-z0-9][a-z0-9-]{0,39}")) {
                bad.add(new Violation("name", "must be 1-40 of a-z, 0-9 and -, starting with a letter or digit (it names the peer in URLs)"));
            }
            if (description != null && (description.length() > 200 || !ProfileValidator.isPrintable(description))) {
                bad.add(new Violation("description", "must be at most 200 printable characters on one line"));
            }
            Map<String, TargetSpec> machines = TargetSpec.peerMachines();
            if (arch == null || !machines.containsKey(arch)) {
                bad.add(new Violation("arch", "must be one of " + String.join(", ", machines.keySet()) + " (the CPU the image runs on)"));
            } else if (!kernelBoot && !arch.equals("x86_64")) {
                bad.add(new Violation("kernel", "a " + arch + " peer boots from a kernel: QEMU's " + machines.get(arch).qemuMachine()
                        + " board has no firmware that boots a disk; upload its kernel (and initrd) too"));
            }
            if (memoryMb != null && (memoryMb < 32 || memoryMb > 4096)) {
                bad.add(new Violation("memoryMb", "must be 32-4096 (MiB)"));
            }
            if (append != null) {
                if (!kernelBoot) {
                    bad.add(new Violation("append", "only a kernel boot takes a command line; upload a kernel, or leave append out"));
                } else if (append.isBlank() || append.length() > 1024 || !ProfileValidator.isPrintable(append)) {
                    bad.add(new Violation("append", "must be 1-1024 printable characters on one line"));
                }
            }
            if (accessNic != null && (accessNic < 0 || accessNic > 3)) {
                bad.add(new Violation("accessNic", "must be 0-3: the index of the NIC that is the access link"));
            }
            if (ready == null || ready.isBlank() || ready.length() > 200) {
                bad.add(new Violation("ready", "must be a regular expression of 1-200 characters that its console prints once it serves"));
            } else {
                try {
                    Pattern.compile(ready);
                } catch (PatternSyntaxException e) {
                    bad.add(new Violation("ready", "is not a regular expression: " + e.getDescription() + " near index " + e.getIndex()));
                }
            }
            if (readySeconds != null && (readySeconds < 5 || readySeconds > 600)) {
                bad.add(new Violation("readySeconds", "must be 5-600"));
            }
            if (consoleLines.size() > 20) {
                bad.add(new Violation("consoleLines", "at most 20 lines"));
            }
            for (int i = 0; i < consoleLines.size(); i++) {
                String line = consoleLines.get(i);
                String field = "consoleLines[" + i + "]";
                if (line == null || line.length() > 1000 || !ProfileValidator.isPrintable(line)) {
                    bad.add(new Violation(field, "must be at most 1000 printable characters on one line (each line is typed, then Enter)"));
                    continue;
                }
                try {
                    TemplateText.render(line, ANY_VALUE, field);
                } catch (PipelineException | IllegalArgumentException e) {
                    bad.add(new Violation(field, e.getMessage()));
                }
            }
            return bad;
        }
    }

    /** Every key present with a plain value: renders a line to find a bad placeholder style before any lab has values. */
    private static final Map<String, String> ANY_VALUE = new AbstractMap<>() {
        @Override
        public String get(Object key) {
            return "x";
        }

        @Override
        public boolean containsKey(Object key) {
            return true;
        }

        @Override
        public Set<Entry<String, String>> entrySet() {
            return Set.of();
        }
    };

    public String name() {
        return descriptor.name();
    }

    /** The machine it runs on: the target whose QEMU emulates its CPU. */
    public TargetSpec machine() {
        TargetSpec t = TargetSpec.peerMachines().get(descriptor.arch());
        if (t == null) {
            throw new IllegalArgumentException("peer VM '" + name() + "': no machine for arch " + descriptor.arch());
        }
        return t;
    }

    public boolean kernelBoot() {
        return kernel != null;
    }

    /** The console lines with this lab's ISP values put in, quoted; an error naming the line and the values there are. */
    public List<String> consoleLines(Map<String, String> ispValues) {
        List<String> out = new ArrayList<>();
        List<String> lines = descriptor.consoleLines();
        for (int i = 0; i < lines.size(); i++) {
            try {
                out.add(TemplateText.render(lines.get(i), ispValues, "peer VM '" + name() + "' consoleLines[" + i + "]"));
            } catch (PipelineException e) {
                throw new IllegalArgumentException(e.getMessage() + " (this lab's ISP values: " + String.join(", ", new java.util.TreeSet<>(ispValues.keySet())) + ")");
            }
        }
        return out;
    }

    /**
     * The built-in checks a lab against this peer leaves out, each with why: those that speak to
     * the ISP's console (the user's VM is no shell of ours), those that fetch the world page when
     * the peer serves none, the IPv6 ones when it gives none.
     */
    public Map<String, String> checksLeftOut(List<String> checks) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String c : checks) {
            if (c.equals("shutdown")) {
                continue;
            }
            CheckScript s = CheckScript.builtIn(c);
            if (s.touches(Lab.ISP)) {
                out.put(c, "it runs commands on the ISP's console, and the ISP is your VM");
            } else if (!descriptor.servesWorld() && s.mentions("world.marker")) {
                out.put(c, "it fetches the world page, and the peer VM does not serve one (world: false)");
            } else if (!descriptor.servesIpv6() && (c.startsWith("ipv6-") || c.endsWith("-ipv6"))) {
                out.put(c, "the peer VM gives no IPv6 (ipv6: false)");
            }
        }
        // and what needs a check left out: it could only fail
        boolean more = true;
        while (more) {
            more = false;
            for (String c : checks) {
                if (out.containsKey(c) || c.equals("shutdown")) {
                    continue;
                }
                for (String need : CheckScript.builtIn(c).needs()) {
                    String gone = checks.stream().filter(k -> k.startsWith(need) && out.containsKey(k)).findFirst().orElse(null);
                    boolean kept = checks.stream().anyMatch(k -> k.startsWith(need) && !out.containsKey(k));
                    if (gone != null && !kept) {
                        out.put(c, "it needs " + gone + ", which is left out");
                        more = true;
                        break;
                    }
                }
            }
        }
        return out;
    }

    /** A size for people: 1.5 GiB, 20 MiB, 512 KiB. */
    public static String size(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        }
        if (bytes >= 1L << 20) {
            return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
        }
        return (bytes + 1023) / 1024 + " KiB";
    }

    /** What the API and the page show of a peer: the descriptor and what its files were found to be (no server paths). */
    public record View(String name, String description, String arch, int memoryMb, String boot, String append, int accessNic,
                       String ready, int readySeconds, List<String> consoleLines, boolean world, boolean ipv6, String diskFormat,
                       long diskBytes, Long kernelBytes, Long initrdBytes, Instant uploadedAt) {
    }

    public View view() {
        Descriptor d = descriptor;
        return new View(d.name(), d.description(), d.arch(), d.memory(), kernelBoot() ? "kernel" : "disk",
                kernelBoot() ? (d.append() == null ? "console=ttyS0" : d.append()) : null, d.access(), d.ready(), d.readyTimeout(),
                d.consoleLines(), d.servesWorld(), d.servesIpv6(), diskFormat, diskBytes, bytes(kernel), bytes(initrd), uploadedAt);
    }

    private static Long bytes(Path p) {
        try {
            return p == null ? null : java.nio.file.Files.size(p);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
