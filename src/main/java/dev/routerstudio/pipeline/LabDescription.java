package dev.routerstudio.pipeline;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.routerstudio.profile.ProfileSpec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * lab.json: what a lab of this firmware runs, decided by the build so the lab never reads the
 * profile. Assembled from the lab.* keys of image-pipeline/lab/lab.conf, the WAN mode's mode.conf
 * and each enabled service's service.conf (see lab.conf for the keys), rendered with the build's
 * values. It carries the PPP credentials the ISP peer must accept (the firmware has them too), so
 * it is written 0600.
 */
@JsonPropertyOrder({"format", "target", "wanMode", "uplink", "interfaces", "isp", "lan", "checks", "variables"})
public record LabDescription(String format, String target, String wanMode, String uplink,
                             Map<String, Interface> interfaces, Peer isp, Peer lan, List<String> checks,
                             Map<String, String> variables) {

    public static final String FORMAT = "routerstudio-lab/1";
    public static final String FILE = "lab.json";
    /** The router's cards in a lab and in run-qemu.sh: eth0 is the WAN, eth1 the LAN. */
    public static final String ROUTER_WAN_MAC = "52:54:00:00:01:01";
    public static final String ROUTER_LAN_MAC = "52:54:00:00:02:01";

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** A router interface: the device inside the guest and the MAC its card gets. */
    @JsonPropertyOrder({"device", "mac"})
    public record Interface(String device, String mac) {
    }

    /** A peer machine: its role (a folder under qemu-runner/peers/) and the values its files are rendered with. */
    @JsonPropertyOrder({"role", "values"})
    public record Peer(String role, Map<String, String> values) {
        public Peer {
            values = values == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(values));
        }

        public Peer with(String key, String value) {
            Map<String, String> v = new TreeMap<>(values);
            v.put(key, value);
            return new Peer(role, v);
        }
    }

    public LabDescription {
        interfaces = interfaces == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(interfaces));
        checks = checks == null ? List.of() : List.copyOf(checks);
        variables = variables == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(variables));
    }

    /** The same lab with the ISP peer told another value (a test of a wrong password, for example). */
    public LabDescription withIspValue(String key, String value) {
        return new LabDescription(format, target, wanMode, uplink, interfaces, isp.with(key, value), lan, checks, variables);
    }

    /** The same lab with one more check variable (a private key for the ssh-key check, for example). */
    public LabDescription withVariable(String key, String value) {
        Map<String, String> v = new TreeMap<>(variables);
        v.put(key, value);
        return new LabDescription(format, target, wanMode, uplink, interfaces, isp, lan, checks, v);
    }

    /** The lab description a build of this profile writes (nothing is resolved or built). */
    public static LabDescription of(ProfileSpec spec) {
        ImageRecipe recipe = ImageRecipe.of(spec);
        return of(recipe, ProfileValues.of(spec, recipe.uplink()));
    }

    /** Gathers the lab.* keys for this build. values: the build's template values (ProfileValues). */
    static LabDescription of(ImageRecipe recipe, Map<String, String> values) {
        List<PipelineResources.Conf> confs = new ArrayList<>();
        confs.add(PipelineResources.conf(ImageRecipe.ROOT + "lab/lab.conf"));
        PipelineResources.Conf mode = PipelineResources.conf(ImageRecipe.ROOT + "wan/" + recipe.wanMode() + "/mode.conf");
        confs.add(mode);
        List<PipelineResources.Conf> services = new ArrayList<>();
        for (String s : recipe.services()) {
            services.add(PipelineResources.conf(ImageRecipe.ROOT + "services/" + s + "/service.conf"));
        }
        confs.addAll(services);

        Map<String, String> v = new TreeMap<>(values);
        for (PipelineResources.Conf c : confs) {
            for (String k : c.keys()) {
                if (k.startsWith("lab.default.")) {
                    v.putIfAbsent(k.substring("lab.default.".length()), render(c, k, v));
                }
            }
        }
        Map<String, String> isp = new TreeMap<>();
        Map<String, String> lan = new TreeMap<>();
        Map<String, String> vars = new TreeMap<>();
        for (PipelineResources.Conf c : confs) {
            for (String k : c.keys()) {
                if (k.startsWith("lab.isp.")) {
                    isp.put(k.substring("lab.isp.".length()), render(c, k, v));
                } else if (k.startsWith("lab.lan.")) {
                    lan.put(k.substring("lab.lan.".length()), render(c, k, v));
                } else if (k.startsWith("lab.var.")) {
                    vars.put(k.substring("lab.var.".length()), render(c, k, v));
                }
            }
        }
        vars.putAll(PathCheck.variables(recipe.profilePackages(), v));
        PipelineResources.Conf base = confs.get(0);
        List<String> checks = new ArrayList<>();
        for (String c : base.list("lab.checks")) {
            switch (c) {
                case "@wan" -> checks.addAll(mode.list("lab.checks"));
                case "@services" -> services.forEach(s -> checks.addAll(s.list("lab.checks")));
                case "@faults" -> checks.addAll(mode.list("lab.checks.faults"));
                default -> checks.add(c);
            }
        }
        for (String c : checks) {
            if (!PipelineResources.exists("qemu-runner/checks/" + c + ".check")) {
                throw new PipelineException("the lab check '" + c + "' has no file qemu-runner/checks/" + c + ".check");
            }
        }
        Map<String, Interface> interfaces = new LinkedHashMap<>();
        interfaces.put("wan", new Interface(v.get("wan.device"), ROUTER_WAN_MAC));
        interfaces.put("lan", new Interface(v.getOrDefault("lan.device", "eth1"), ROUTER_LAN_MAC));
        return new LabDescription(FORMAT, values.get("target"), recipe.wanMode(), recipe.uplink(), interfaces,
                new Peer(role(mode, "lab.peer"), isp), new Peer(role(base, "lab.client"), lan), checks, vars);
    }

    private static String render(PipelineResources.Conf c, String key, Map<String, String> values) {
        return TemplateText.render(c.props().getProperty(key).strip(), values, c.path() + ": " + key);
    }

    private static String role(PipelineResources.Conf c, String key) {
        String role = c.get(key);
        if (!role.matches("[a-z0-9][a-z0-9.-]*") || !PipelineResources.exists("qemu-runner/peers/" + role + "/role.conf")) {
            throw new PipelineException(c.path() + ": " + key + " names '" + role + "', which is no folder under qemu-runner/peers/");
        }
        return role;
    }

    /** Writes lab.json, owner-only (it holds the PPP credentials). */
    public Path write(Path output) {
        try {
            Files.deleteIfExists(output);
            Files.createFile(output, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            Files.writeString(output, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n");
        } catch (IOException | JacksonException e) {
            throw new PipelineException("writing " + output + ": " + e.getMessage());
        }
        return output;
    }

    /**
     * Reads and checks a lab.json (a build's or an uploaded bundle's); a PipelineException says
     * what is wrong with it. where: how to name the file in messages.
     */
    public static LabDescription read(Path file, String where) {
        LabDescription d;
        try {
            d = JSON.readValue(file.toFile(), LabDescription.class);
        } catch (JacksonException e) {
            throw new PipelineException(where + " is not a lab description: " + e.getOriginalMessage());
        }
        if (d == null) {
            throw new PipelineException(where + " is empty");
        }
        d.validate(where);
        return d;
    }

    /** Parses lab.json text (for tests and callers that hold it already). */
    public static LabDescription parse(String json, String where) {
        LabDescription d;
        try {
            d = JSON.readValue(json, LabDescription.class);
        } catch (JacksonException e) {
            throw new PipelineException(where + " is not a lab description: " + e.getOriginalMessage());
        }
        d.validate(where);
        return d;
    }

    public String json() {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this);
    }

    private void validate(String where) {
        if (!FORMAT.equals(format)) {
            throw new PipelineException(where + ": format is '" + format + "', this studio reads '" + FORMAT
                    + "' — build the firmware again with this studio");
        }
        if (!TargetSpec.exists(target)) {
            throw new PipelineException(where + ": target '" + target + "' is not one of this studio's targets ("
                    + String.join(", ", TargetSpec.ids()) + ")");
        }
        for (Peer p : new Peer[]{isp, lan}) {
            if (p == null || p.role() == null || !p.role().matches("[a-z0-9][a-z0-9.-]*")
                    || !PipelineResources.exists("qemu-runner/peers/" + p.role() + "/role.conf")) {
                throw new PipelineException(where + ": peer role '" + (p == null ? null : p.role())
                        + "' is not a folder under qemu-runner/peers/");
            }
        }
        for (Map<String, String> m : List.of(isp.values(), lan.values(), variables)) {
            for (Map.Entry<String, String> e : m.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) {
                    throw new PipelineException(where + ": '" + e.getKey() + "' has no value (null)");
                }
            }
        }
        if (checks.isEmpty()) {
            throw new PipelineException(where + ": the check list is empty");
        }
        for (String c : checks) {
            if (c == null || !c.matches("[a-z0-9][a-z0-9-]*") || !PipelineResources.exists("qemu-runner/checks/" + c + ".check")) {
                throw new PipelineException(where + ": check '" + c + "' is not one of qemu-runner/checks/");
            }
        }
        for (String n : List.of("wan", "lan")) {
            Interface i = interfaces.get(n);
            if (i == null || i.mac() == null || !i.mac().matches("([0-9a-f]{2}:){5}[0-9a-f]{2}")) {
                throw new PipelineException(where + ": interfaces." + n + " needs a MAC like 52:54:00:00:01:01");
            }
        }
    }
}
