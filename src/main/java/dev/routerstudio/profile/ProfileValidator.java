package dev.routerstudio.profile;

import dev.routerstudio.profile.ProfileSpec.DhcpRange;
import dev.routerstudio.profile.ProfileSpec.FileSpec;
import dev.routerstudio.profile.ProfileSpec.LanInterface;
import dev.routerstudio.profile.ProfileSpec.WanInterface;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules a profile must pass, in the spirit of LuCI's datatypes. The server-side source of
 * truth: the API and the forms both call it, and the forms mirror the simple rules as HTML5
 * attributes. Values that are merely unusual (quotes, $, backslashes in a password) are
 * accepted here; the pipeline quotes them.
 */
public final class ProfileValidator {

    public static final int MAX_PACKAGES = 64;
    public static final int MAX_FILES = 32;
    public static final int MAX_FILE_BYTES = 64 * 1024;
    public static final int MAX_DESCRIPTION = 200;

    public static final String NAME_PATTERN = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
    public static final String DEVICE_PATTERN = "[a-zA-Z0-9_.\\-]{1,15}";
    public static final String PACKAGE_PATTERN = "[a-z0-9][a-z0-9+.\\-]{1,99}";
    public static final String MODE_PATTERN = "0?[0-7]{3}";

    private static final Pattern NAME = Pattern.compile(NAME_PATTERN);
    private static final Pattern DEVICE = Pattern.compile(DEVICE_PATTERN);
    private static final Pattern PACKAGE = Pattern.compile(PACKAGE_PATTERN);
    private static final Pattern HOST_LABEL = Pattern.compile("[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?");
    private static final Pattern FILE_MODE = Pattern.compile(MODE_PATTERN);
    private static final Pattern PATH_COMPONENT = Pattern.compile("[A-Za-z0-9._@+=,:~\\-]{1,255}");

    /**
     * Files the studio writes itself (or links into /run); a profile may not replace them. Derived
     * from what the pipeline's stages write for every mode and service, never listed by hand.
     */
    public static Set<String> generatedEtc() {
        return GeneratedEtc.PATHS;
    }

    private static final class GeneratedEtc {
        static final Set<String> PATHS = Set.copyOf(dev.routerstudio.pipeline.EtcStage.generatedEtc());
    }

    /** Whether a missing PPP password is an error (create) or means "keep/fill in later". */
    public enum Secrets { REQUIRED, OPTIONAL }

    private final List<Violation> violations = new ArrayList<>();

    private ProfileValidator() {
    }

    public static List<Violation> validate(ProfileSpec spec, Secrets secrets) {
        ProfileValidator v = new ProfileValidator();
        v.check(spec, secrets);
        return List.copyOf(v.violations);
    }

    private void reject(String field, String message) {
        violations.add(new Violation(field, message));
    }

    private void check(ProfileSpec spec, Secrets secrets) {
        if (spec == null) {
            reject("", "the request body must be a profile object");
            return;
        }
        checkName(spec.name());
        if (spec.description() != null) {
            if (spec.description().codePointCount(0, spec.description().length()) > MAX_DESCRIPTION) {
                reject("description", "must be at most " + MAX_DESCRIPTION + " characters");
            }
            if (!isPrintable(spec.description())) {
                reject("description", "must be one line of printable characters (no control or invisible formatting characters)");
            }
        }
        checkHostname(spec.hostname());
        if (spec.target() != null && !dev.routerstudio.pipeline.TargetSpec.exists(spec.target())) {
            reject("target", "'" + clip(spec.target()) + "' is not a known target — use one of " + String.join(", ", dev.routerstudio.pipeline.TargetSpec.ids()));
        }
        Ipv4.Cidr lanSubnet = checkInterfaces(spec);
        if (spec.ipv6() != null) {
            spec.ipv6().validate(this::reject);
        }
        checkWan(spec.wan(), secrets, lanSubnet, spec.ipv6Enabled());
        checkPackages(spec.packages());
        checkServices(spec.services(), spec);
        checkSettings(spec, lanSubnet);
        checkFiles(spec.files());
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty()) {
            reject("name", "is required: a short slug such as home-gateway");
        } else if (name.length() > 63 || !NAME.matcher(name).matches()) {
            reject("name", "must be 1–63 lowercase letters, digits and hyphens, starting and ending with a letter or digit (like home-gateway)");
        }
    }

    private void checkHostname(String hostname) {
        String problem = hostnameProblem(hostname);
        if (problem != null) {
            reject("hostname", problem);
        }
    }

    /** Why a host name is not RFC 1123, or null. */
    static String hostnameProblem(String hostname) {
        if (hostname == null || hostname.isEmpty()) {
            return "is required (RFC 1123), such as gateway or router.home.arpa";
        }
        if (hostname.length() > 253) {
            return "must be at most 253 characters in total (RFC 1123)";
        }
        for (String label : hostname.split("\\.", -1)) {
            if (label.length() > 63) {
                return "has a label longer than 63 characters (RFC 1123)";
            }
            if (!HOST_LABEL.matcher(label).matches()) {
                return "must be dot-separated labels of letters, digits and hyphens, not starting or ending with a hyphen (RFC 1123)";
            }
        }
        return null;
    }

    private Ipv4.Cidr checkInterfaces(ProfileSpec spec) {
        if (spec.interfaces() == null) {
            reject("interfaces", "is required: a wan and a lan interface");
            return null;
        }
        WanInterface wan = spec.interfaces().wan();
        LanInterface lan = spec.interfaces().lan();
        if (wan == null) {
            reject("interfaces.wan", "is required, such as {\"device\": \"eth0\"}");
        } else {
            checkDevice("interfaces.wan.device", wan.device());
            checkMtu("interfaces.wan.mtu", wan.mtu());
            if (wan.vlan() != null && (wan.vlan() < 1 || wan.vlan() > 4094)) {
                reject("interfaces.wan.vlan", "must be a VLAN id from 1 to 4094 (got " + wan.vlan() + "), or left out for an untagged WAN");
            } else if (wan.vlan() != null && wan.device() != null && wan.device().length() + 1 + wan.vlan().toString().length() > 15) {
                reject("interfaces.wan.vlan", "makes the tagged interface name " + wan.device() + "." + wan.vlan()
                        + " longer than Linux's 15 characters; use a shorter WAN device name");
            }
        }
        if (lan == null) {
            reject("interfaces.lan", "is required, such as {\"device\": \"eth1\", \"address\": \"192.168.1.1/24\"}");
            return null;
        }
        checkDevice("interfaces.lan.device", lan.device());
        checkMtu("interfaces.lan.mtu", lan.mtu());
        if (wan != null && wan.device() != null && wan.device().equals(lan.device())) {
            reject("interfaces.lan.device", "must differ from the WAN device (" + clip(wan.device()) + ")");
        }
        Ipv4.Cidr subnet = null;
        if (lan.address() == null || lan.address().isEmpty()) {
            reject("interfaces.lan.address", "is required: the router's LAN address with prefix, like 192.168.1.1/24");
        } else {
            try {
                Ipv4.Cidr cidr = Ipv4.parseCidr(lan.address());
                if (cidr.prefix() < 8 || cidr.prefix() > 30) {
                    reject("interfaces.lan.address", "needs a prefix length between /8 and /30 so the LAN has room for clients");
                } else if (cidr.isNetworkOrBroadcast()) {
                    reject("interfaces.lan.address", "is the subnet's " + (cidr.address() == cidr.network() ? "network" : "broadcast")
                            + " address; use a host address such as " + Ipv4.format(cidr.network() + 1) + "/" + cidr.prefix());
                } else {
                    subnet = cidr;
                }
            } catch (IllegalArgumentException e) {
                reject("interfaces.lan.address", e.getMessage());
            }
        }
        if (lan.dhcpRange() != null) {
            checkDhcpRange(lan.dhcpRange(), subnet);
        }
        return subnet;
    }

    private void checkDhcpRange(DhcpRange range, Ipv4.Cidr subnet) {
        Integer start = parseAddress("interfaces.lan.dhcpRange.start", range.start(), true);
        Integer end = parseAddress("interfaces.lan.dhcpRange.end", range.end(), true);
        if (start == null || end == null || subnet == null) {
            return;
        }
        if (!subnet.contains(start) || start == subnet.network() || start == subnet.broadcast()) {
            reject("interfaces.lan.dhcpRange.start", "must be a host address inside the LAN subnet " + Ipv4.format(subnet.network()) + "/" + subnet.prefix());
        }
        if (!subnet.contains(end) || end == subnet.network() || end == subnet.broadcast()) {
            reject("interfaces.lan.dhcpRange.end", "must be a host address inside the LAN subnet " + Ipv4.format(subnet.network()) + "/" + subnet.prefix());
        }
        if (Integer.compareUnsigned(start, end) > 0) {
            reject("interfaces.lan.dhcpRange.end", "must not be below the start of the range");
        } else if (Integer.compareUnsigned(start, subnet.address()) <= 0 && Integer.compareUnsigned(subnet.address(), end) <= 0) {
            reject("interfaces.lan.dhcpRange", "must not include the router's own address " + Ipv4.format(subnet.address()));
        }
    }

    private Integer parseAddress(String field, String text, boolean required) {
        return ipv4(violations, field, text, required, "192.168.1.100");
    }

    /** Parses an IPv4 address; null, with a violation if it was required or is bad, when absent or bad. */
    static Integer ipv4(List<Violation> violations, String field, String text, boolean required, String example) {
        if (text == null || text.isEmpty()) {
            if (required) {
                violations.add(new Violation(field, "is required: an IPv4 address like " + example));
            }
            return null;
        }
        try {
            return Ipv4.parse(text);
        } catch (IllegalArgumentException e) {
            violations.add(new Violation(field, e.getMessage()));
            return null;
        }
    }

    private void checkDevice(String field, String device) {
        if (device == null || device.isEmpty()) {
            reject(field, "is required: a network device name such as eth0");
        } else if (!DEVICE.matcher(device).matches() || device.equals(".") || device.equals("..")) {
            reject(field, "must be 1–15 characters of letters, digits, _ . and - (a Linux interface name such as eth0)");
        }
    }

    private void checkMtu(String field, Integer mtu) {
        String problem = mtuProblem(mtu);
        if (problem != null) {
            reject(field, problem);
        }
    }

    static String mtuProblem(Integer mtu) {
        return mtu != null && (mtu < 576 || mtu > 9000) ? "must be between 576 and 9000 (got " + mtu + ")" : null;
    }

    private void checkWan(WanSpec wan, Secrets secrets, Ipv4.Cidr lanSubnet, boolean ipv6Enabled) {
        if (wan == null) {
            reject("wan", "is required: how the WAN connects, e.g. {\"mode\": \"dhcp\"} (one of " + WanModes.ids() + ")");
            return;
        }
        wan.validate(new WanChecks(violations, secrets == Secrets.REQUIRED, lanSubnet, ipv6Enabled));
    }

    private void checkPackages(List<String> packages) {
        if (packages == null) {
            return;
        }
        if (packages.size() > MAX_PACKAGES) {
            reject("packages", "may list at most " + MAX_PACKAGES + " packages (got " + packages.size() + ")");
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < packages.size(); i++) {
            String p = packages.get(i);
            String field = "packages[" + i + "]";
            if (p == null || !PACKAGE.matcher(p).matches()) {
                reject(field, "'" + clip(p) + "' is not a Debian package name: 2–100 characters of lowercase letters, digits, + - and ., starting with a letter or digit");
            } else if (!seen.add(p)) {
                reject(field, "'" + p + "' is listed twice");
            }
        }
    }

    private void checkServices(List<String> services, ProfileSpec spec) {
        if (services == null) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < services.size(); i++) {
            String s = services.get(i);
            String field = "services[" + i + "]";
            ServiceCatalog.Service service = s == null ? null : ServiceCatalog.byId(s);
            if (service == null || !service.optional()) {
                reject(field, "'" + clip(s) + "' is not a service a profile can enable — use one of " + ServiceCatalog.optionalIds());
            } else if (!seen.add(s)) {
                reject(field, "'" + s + "' is listed twice");
            }
        }
    }

    private void checkSettings(ProfileSpec spec, Ipv4.Cidr lanSubnet) {
        ServiceSettings settings = spec.settings();
        if (settings == null) {
            return;
        }
        if (settings.ssh() != null) {
            if (!spec.hasService("ssh")) {
                reject("settings.ssh", "sets up the ssh service, which the profile does not enable — add \"ssh\" to services or remove these settings");
            }
            settings.ssh().validate(this::reject);
        }
        if (settings.firewall() != null) {
            if (!spec.hasService("firewall")) {
                reject("settings.firewall", "sets up the firewall service, which the profile does not enable — add \"firewall\" to services or remove these settings");
            }
            settings.firewall().validate(spec, lanSubnet, this::reject);
        }
    }

    private void checkFiles(List<FileSpec> files) {
        if (files == null) {
            return;
        }
        if (files.size() > MAX_FILES) {
            reject("files", "may list at most " + MAX_FILES + " files (got " + files.size() + ")");
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < files.size(); i++) {
            FileSpec f = files.get(i);
            String prefix = "files[" + i + "]";
            if (f == null) {
                reject(prefix, "must be an object with path, mode and content");
                continue;
            }
            String pathProblem = pathProblem(f.path());
            if (pathProblem != null) {
                reject(prefix + ".path", pathProblem);
            } else if (!seen.add(f.path())) {
                reject(prefix + ".path", "'" + f.path() + "' is listed twice");
            }
            if (f.mode() != null && !f.mode().isEmpty() && !FILE_MODE.matcher(f.mode()).matches()) {
                reject(prefix + ".mode", "must be an octal permission such as 0644 or 0600 (no setuid, setgid or sticky bits)");
            }
            if (f.content() == null) {
                reject(prefix + ".content", "is required (it may be empty text)");
            } else {
                if (f.content().getBytes(StandardCharsets.UTF_8).length > MAX_FILE_BYTES) {
                    reject(prefix + ".content", "must be at most 64 KiB");
                }
                if (f.content().indexOf('\0') >= 0) {
                    reject(prefix + ".content", "must be text: it contains a NUL character");
                } else if (f.content().codePoints().anyMatch(cp -> Character.getType(cp) == Character.SURROGATE)) {
                    reject(prefix + ".content", "must be valid Unicode text: it has a lone surrogate (half of a character)");
                }
            }
        }
    }

    /** Why a file path is not acceptable, or null. Paths are confined to /etc, normalised, no dot games. */
    static String pathProblem(String path) {
        if (path == null || path.isEmpty()) {
            return "is required: an absolute path under /etc, like /etc/motd";
        }
        if (path.indexOf('\0') >= 0) {
            return "must not contain a NUL character";
        }
        if (!path.startsWith("/etc/")) {
            return "must be an absolute path under /etc/, like /etc/motd";
        }
        if (path.length() > 255) {
            return "must be at most 255 characters";
        }
        if (path.endsWith("/")) {
            return "must name a file, not end with /";
        }
        String[] parts = path.substring(1).split("/", -1);
        for (String part : parts) {
            if (part.isEmpty()) {
                return "must not contain // (write the normalised path)";
            }
            if (part.equals(".") || part.equals("..")) {
                return "must not contain . or .. components";
            }
            if (!PATH_COMPONENT.matcher(part).matches()) {
                return "may only use letters, digits and . _ - @ + = , : ~ in each part";
            }
        }
        for (String generated : generatedEtc()) {
            if (path.equals(generated) || path.startsWith(generated + "/")) {
                return "is generated by the studio from the profile and cannot be replaced"
                        + (path.startsWith("/etc/dropbear") ? " — ssh keys go in settings.ssh.authorizedKeys (the SSH public keys box)" : "");
            }
        }
        return null;
    }

    /**
     * Printable: no control characters (C0, DEL, C1), no invisible format characters (bidi
     * marks, zero-width joiners), no unassigned or private-use code points, no line separators.
     */
    public static boolean isPrintable(String s) {
        return s.codePoints().allMatch(cp -> {
            int type = Character.getType(cp);
            return type != Character.CONTROL && type != Character.FORMAT && type != Character.SURROGATE
                    && type != Character.PRIVATE_USE && type != Character.UNASSIGNED
                    && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR;
        });
    }

    /** Echo user input back in messages without letting a huge value flood them. */
    private static String clip(String s) {
        if (s == null) {
            return "null";
        }
        String printable = s.codePoints().map(cp -> isPrintable(new String(Character.toChars(cp))) ? cp : '?')
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.length() > 40 ? printable.substring(0, 40) + "…" : printable;
    }
}
