package dev.routerstudio.profile;

import dev.routerstudio.profile.ProfileSpec.DhcpRange;
import dev.routerstudio.profile.ProfileSpec.FileSpec;
import dev.routerstudio.profile.ProfileSpec.LanInterface;
import dev.routerstudio.profile.ProfileSpec.WanInterface;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the profile form binds to: text fields shaped like {@link ProfileSpec}, so a violation's
 * field path ("interfaces.lan.address") names the same form field. Numbers stay text until
 * {@link #toSpec} so "abc" in an MTU box becomes a message, not a binding exception.
 */
public class ProfileForm {

    private String name;
    private String description;
    private String hostname;
    private String target = ProfileSpec.DEFAULT_TARGET;
    private Interfaces interfaces = new Interfaces();
    private Wan wan = new Wan();
    private Ipv6 ipv6 = new Ipv6();
    private String packagesText = "";
    /** Slim rebuilds (image-pipeline/slim/) where a package has a recipe (the default); off: Debian's binaries. */
    private boolean slim = true;
    private String sshAuthorizedKeys = "";
    private List<String> services = new ArrayList<>();
    private List<FileRow> files = new ArrayList<>();
    private List<ForwardRow> forwards = new ArrayList<>();
    private List<String> openOnWan = new ArrayList<>();
    /** The version being edited, sent back so a concurrent change is noticed. */
    private Long version;

    /** The result of reading a form: the spec, problems found while parsing, and form positions of files. */
    public record Parsed(ProfileSpec spec, List<Violation> violations, List<Integer> fileRows, List<Integer> forwardRows) {
    }

    public static ProfileForm from(ProfileSpec spec) {
        ProfileForm f = new ProfileForm();
        f.name = spec.name();
        f.description = spec.description();
        f.hostname = spec.hostname();
        f.target = spec.target();
        if (spec.interfaces() != null) {
            WanInterface w = spec.interfaces().wan();
            LanInterface l = spec.interfaces().lan();
            if (w != null) {
                f.interfaces.wan.device = w.device();
                f.interfaces.wan.mtu = text(w.mtu());
                f.interfaces.wan.vlan = text(w.vlan());
            }
            if (l != null) {
                f.interfaces.lan.device = l.device();
                f.interfaces.lan.address = l.address();
                f.interfaces.lan.mtu = text(l.mtu());
                if (l.dhcpRange() != null) {
                    f.interfaces.lan.dhcpRange.start = l.dhcpRange().start();
                    f.interfaces.lan.dhcpRange.end = l.dhcpRange().end();
                }
            }
        }
        WanSpec w = spec.wan();
        if (w != null) {
            f.wan.mode = w.mode();
            for (RecordComponent rc : w.getClass().getRecordComponents()) {
                FormField field = rc.getAnnotation(FormField.class);
                if (field == null || field.kind().equals("password")) {
                    continue; // the password is write-only: never copied into a form
                }
                Object value = componentValue(rc, w);
                f.wan.fields.put(rc.getName(), value == null ? null
                        : value instanceof List<?> list ? String.join(" ", list.stream().map(String::valueOf).toList()) : value.toString());
            }
        }
        if (spec.settings() != null && spec.settings().ssh() != null && spec.settings().ssh().authorizedKeys() != null) {
            f.sshAuthorizedKeys = String.join("\n", spec.settings().ssh().authorizedKeys());
        }
        FirewallSettings fw = spec.settings() == null ? null : spec.settings().firewall();
        if (fw != null && fw.portForwards() != null) {
            for (FirewallSettings.PortForward pf : fw.portForwards()) {
                if (pf != null) {
                    f.forwards.add(new ForwardRow(pf.proto(), text(pf.wanPort()), pf.lanAddress(), text(pf.lanPort())));
                }
            }
        }
        if (fw != null && fw.openOnWan() != null) {
            f.openOnWan = new ArrayList<>(fw.openOnWan());
        }
        f.ipv6.enabled = spec.ipv6Enabled();
        f.ipv6.prefixLength = spec.ipv6() == null ? null : text(spec.ipv6().prefixLength());
        f.packagesText = spec.packages() == null ? "" : String.join(" ", spec.packages());
        f.slim = spec.slimEnabled();
        f.services = spec.services() == null ? new ArrayList<>() : new ArrayList<>(spec.services());
        if (spec.files() != null) {
            for (FileSpec file : spec.files()) {
                f.files.add(new FileRow(file.path(), file.mode(), file.content()));
            }
        }
        return f;
    }

    /** Reads the form into a spec. Only the chosen WAN mode's fields are taken; blank fields are absent. */
    public Parsed toSpec() {
        List<Violation> problems = new ArrayList<>();
        WanInterface wanIf = new WanInterface(blank(interfaces.wan.device), number("interfaces.wan.mtu", interfaces.wan.mtu, problems),
                number("interfaces.wan.vlan", interfaces.wan.vlan, problems));
        DhcpRange range = blank(interfaces.lan.dhcpRange.start) == null && blank(interfaces.lan.dhcpRange.end) == null ? null
                : new DhcpRange(blank(interfaces.lan.dhcpRange.start), blank(interfaces.lan.dhcpRange.end));
        LanInterface lanIf = new LanInterface(blank(interfaces.lan.device), blank(interfaces.lan.address),
                number("interfaces.lan.mtu", interfaces.lan.mtu, problems), range);

        WanSpec wanSpec = wanSpec(problems);
        // The keys box is shown only with ssh ticked; keys left in it after unticking are dropped.
        boolean ssh = services != null && services.contains("ssh");
        List<String> keyLines = sshAuthorizedKeys == null || !ssh ? List.<String>of()
                : Arrays.stream(sshAuthorizedKeys.split("\r?\n")).filter(l -> !l.isBlank()).toList();
        SshSettings sshSettings = keyLines.isEmpty() ? null : new SshSettings(keyLines);
        // Port forwards and WAN openings, like the keys, count only while the firewall is ticked.
        boolean firewall = services != null && services.contains("firewall");
        List<FirewallSettings.PortForward> forwardSpecs = new ArrayList<>();
        List<Integer> forwardRows = new ArrayList<>();
        for (int i = 0; firewall && i < forwards.size(); i++) {
            ForwardRow row = forwards.get(i);
            if (row == null || (blank(row.wanPort) == null && blank(row.lanAddress) == null && blank(row.lanPort) == null)) {
                continue; // the spare empty row
            }
            String at = "settings.firewall.portForwards[" + forwardSpecs.size() + "]";
            forwardSpecs.add(new FirewallSettings.PortForward(blank(row.proto), number(at + ".wanPort", row.wanPort, problems),
                    blank(row.lanAddress) == null ? null : row.lanAddress.trim(), number(at + ".lanPort", row.lanPort, problems)));
            forwardRows.add(i);
        }
        List<String> open = !firewall || openOnWan == null ? List.of() : openOnWan.stream().filter(o -> o != null && !o.isBlank()).toList();
        FirewallSettings fw = forwardSpecs.isEmpty() && open.isEmpty() ? null
                : new FirewallSettings(forwardSpecs.isEmpty() ? null : forwardSpecs, open.isEmpty() ? null : open);
        ServiceSettings settings = sshSettings == null && fw == null ? null : new ServiceSettings(fw, sshSettings);
        List<FileSpec> fileSpecs = new ArrayList<>();
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            FileRow row = files.get(i);
            if (row == null || (blank(row.path) == null && blank(row.content) == null)) {
                continue; // the spare empty row
            }
            fileSpecs.add(new FileSpec(blank(row.path), blank(row.mode), row.content == null ? "" : row.content.replace("\r\n", "\n")));
            rows.add(i);
        }
        ProfileSpec spec = new ProfileSpec(blank(name), blank(description), blank(hostname), blank(target),
                new ProfileSpec.Interfaces(wanIf, lanIf), wanSpec,
                new Ipv6Settings(ipv6.enabled, number("ipv6.prefixLength", ipv6.prefixLength, problems)), words(packagesText),
                services == null ? List.of() : List.copyOf(services), settings, fileSpecs, slim ? null : Boolean.FALSE);
        return new Parsed(spec, problems, rows, forwardRows);
    }

    /**
     * The chosen mode's record, built from its fields in the form: text stays text, numbers are
     * parsed (a bad one is a violation), lists are space-separated words. Other modes' fields
     * are ignored, as they are hidden in the page.
     */
    private WanSpec wanSpec(List<Violation> problems) {
        WanModes.Mode mode = wan.mode == null ? null : WanModes.byId(wan.mode);
        if (mode == null) {
            problems.add(new Violation("wan.mode", (blank(wan.mode) == null ? "is required" : "is not a WAN mode") + " — choose one of " + WanModes.ids()));
            return null;
        }
        RecordComponent[] components = mode.type().getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent rc = components[i];
            types[i] = rc.getType();
            String text = wan.fields.get(rc.getName());
            if (types[i] == Integer.class) {
                args[i] = number("wan." + rc.getName(), text, problems);
            } else if (types[i] == List.class) {
                List<String> words = words(text);
                args[i] = words.isEmpty() ? null : words;
            } else {
                args[i] = blank(text);
            }
        }
        try {
            return mode.type().getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("WAN mode " + mode.id() + " has no canonical constructor", e);
        }
    }

    private static Object componentValue(RecordComponent rc, Object record) {
        try {
            return rc.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Maps a spec field path to the form field that shows its message. */
    public static String formField(String specField, Parsed parsed) {
        if (specField.startsWith("settings.firewall.portForwards[")) {
            int open = "settings.firewall.portForwards[".length();
            int close = specField.indexOf(']', open);
            int specIndex = Integer.parseInt(specField.substring(open, close));
            int row = specIndex < parsed.forwardRows().size() ? parsed.forwardRows().get(specIndex) : specIndex;
            return "forwards[" + row + "]" + specField.substring(close + 1);
        }
        if (specField.startsWith("settings.firewall")) {
            return specField.startsWith("settings.firewall.openOnWan") ? "openOnWan" : "forwards";
        }
        return formField(specField, parsed.fileRows());
    }

    /** Maps a spec field path to the form field that shows its message. */
    public static String formField(String specField, List<Integer> fileRows) {
        if (specField.startsWith("packages")) {
            return "packagesText";
        }
        if (specField.startsWith("settings.ssh")) {
            return "sshAuthorizedKeys";
        }
        if (specField.startsWith("wan.") && !specField.equals("wan.mode")) {
            String name = specField.substring(4).replaceAll("\\[.*", "");
            return "wan.fields[" + name + "]";
        }
        if (specField.startsWith("services")) {
            return "services";
        }
        if (specField.startsWith("files[")) {
            int close = specField.indexOf(']');
            int specIndex = Integer.parseInt(specField.substring(6, close));
            int row = specIndex < fileRows.size() ? fileRows.get(specIndex) : specIndex;
            return "files[" + row + "]" + specField.substring(close + 1);
        }
        return specField;
    }

    private static String text(Integer i) {
        return i == null ? null : i.toString();
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static List<String> words(String s) {
        if (s == null || s.isBlank()) {
            return List.of();
        }
        return Arrays.stream(s.trim().split("[\\s,]+")).filter(w -> !w.isEmpty()).toList();
    }

    private static Integer number(String field, String s, List<Violation> problems) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            problems.add(new Violation(field, "must be a whole number"));
            return null;
        }
    }

    public static class Interfaces {
        private WanIf wan = new WanIf();
        private LanIf lan = new LanIf();

        public WanIf getWan() { return wan; }
        public void setWan(WanIf wan) { this.wan = wan; }
        public LanIf getLan() { return lan; }
        public void setLan(LanIf lan) { this.lan = lan; }
    }

    public static class WanIf {
        private String device;
        private String mtu;
        private String vlan;

        public String getDevice() { return device; }
        public void setDevice(String device) { this.device = device; }
        public String getMtu() { return mtu; }
        public void setMtu(String mtu) { this.mtu = mtu; }
        public String getVlan() { return vlan; }
        public void setVlan(String vlan) { this.vlan = vlan; }
    }

    public static class LanIf {
        private String device;
        private String address;
        private String mtu;
        private Range dhcpRange = new Range();

        public String getDevice() { return device; }
        public void setDevice(String device) { this.device = device; }
        public String getAddress() { return address; }
        public void setAddress(String address) { this.address = address; }
        public String getMtu() { return mtu; }
        public void setMtu(String mtu) { this.mtu = mtu; }
        public Range getDhcpRange() { return dhcpRange; }
        public void setDhcpRange(Range dhcpRange) { this.dhcpRange = dhcpRange; }
    }

    public static class Range {
        private String start;
        private String end;

        public String getStart() { return start; }
        public void setStart(String start) { this.start = start; }
        public String getEnd() { return end; }
        public void setEnd(String end) { this.end = end; }
    }

    /** IPv6 on (the default for a new profile) and the prefix length to ask for. */
    public static class Ipv6 {
        private boolean enabled = true;
        private String prefixLength;

        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean enabled) { this.enabled = enabled; }
        public String getPrefixLength() { return prefixLength; }
        public void setPrefixLength(String prefixLength) { this.prefixLength = prefixLength; }
    }

    /** The WAN mode and every mode's fields by name (a field shared by modes, like username, is one box). */
    public static class Wan {
        private String mode = "dhcp";
        private Map<String, String> fields = new LinkedHashMap<>();

        public String getMode() { return mode; }
        public void setMode(String mode) { this.mode = mode; }
        public Map<String, String> getFields() { return fields; }
        public void setFields(Map<String, String> fields) { this.fields = fields; }
    }

    public static class FileRow {
        private String path;
        private String mode = "0644";
        private String content;

        public FileRow() {
        }

        public FileRow(String path, String mode, String content) {
            this.path = path;
            this.mode = mode;
            this.content = content;
        }

        public String getPath() { return path; }
        public void setPath(String path) { this.path = path; }
        public String getMode() { return mode; }
        public void setMode(String mode) { this.mode = mode; }
        public String getContent() { return content; }
        public void setContent(String content) { this.content = content; }
    }

    /** One port forward in the form; numbers stay text so a bad one becomes a message. */
    public static class ForwardRow {
        private String proto = "tcp";
        private String wanPort;
        private String lanAddress;
        private String lanPort;

        public ForwardRow() {
        }

        public ForwardRow(String proto, String wanPort, String lanAddress, String lanPort) {
            this.proto = proto;
            this.wanPort = wanPort;
            this.lanAddress = lanAddress;
            this.lanPort = lanPort;
        }

        public String getProto() { return proto; }
        public void setProto(String proto) { this.proto = proto; }
        public String getWanPort() { return wanPort; }
        public void setWanPort(String wanPort) { this.wanPort = wanPort; }
        public String getLanAddress() { return lanAddress; }
        public void setLanAddress(String lanAddress) { this.lanAddress = lanAddress; }
        public String getLanPort() { return lanPort; }
        public void setLanPort(String lanPort) { this.lanPort = lanPort; }
    }

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getDescription() { return description; }
    public void setDescription(String description) { this.description = description; }
    public String getHostname() { return hostname; }
    public void setHostname(String hostname) { this.hostname = hostname; }
    public String getTarget() { return target; }
    public void setTarget(String target) { this.target = target; }
    public Interfaces getInterfaces() { return interfaces; }
    public void setInterfaces(Interfaces interfaces) { this.interfaces = interfaces; }
    public Wan getWan() { return wan; }
    public void setWan(Wan wan) { this.wan = wan; }
    public Ipv6 getIpv6() { return ipv6; }
    public void setIpv6(Ipv6 ipv6) { this.ipv6 = ipv6; }
    public boolean isSlim() { return slim; }
    public void setSlim(boolean slim) { this.slim = slim; }
    public String getPackagesText() { return packagesText; }
    public void setPackagesText(String packagesText) { this.packagesText = packagesText; }
    public String getSshAuthorizedKeys() { return sshAuthorizedKeys; }
    public void setSshAuthorizedKeys(String sshAuthorizedKeys) { this.sshAuthorizedKeys = sshAuthorizedKeys; }
    public List<String> getServices() { return services; }
    public void setServices(List<String> services) { this.services = services; }
    public List<FileRow> getFiles() { return files; }
    public List<ForwardRow> getForwards() { return forwards; }
    public void setForwards(List<ForwardRow> forwards) { this.forwards = forwards; }
    public List<String> getOpenOnWan() { return openOnWan; }
    public void setOpenOnWan(List<String> openOnWan) { this.openOnWan = openOnWan; }
    public void setFiles(List<FileRow> files) { this.files = files; }
    public Long getVersion() { return version; }
    public void setVersion(Long version) { this.version = version; }
}
