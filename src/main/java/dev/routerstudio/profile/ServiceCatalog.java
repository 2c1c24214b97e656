package dev.routerstudio.profile;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The services the studio provides, one folder each under image-pipeline/services/, described by
 * its service.conf: what it is, whether a profile may enable it (optional), the users it runs
 * as, the ports it listens on and in which zone, the lab checks it enables and the /etc files it
 * generates. Nothing else lists the services; the firewall and the lab read these declarations.
 */
public final class ServiceCatalog {

    /** A port a service listens on: zone (lan or wan), protocol (tcp or udp), number. */
    public record Port(String zone, String protocol, int port) {
        @Override
        public String toString() {
            return zone + "/" + protocol + "/" + port;
        }
    }

    /** A system user a service runs as, added to /etc/passwd and /etc/group of images that have it. */
    public record User(String name, int uid, int gid, String home, String gecos) {
    }

    /**
     * openable: the service can serve the WAN too when a profile opens it there
     * (settings.firewall.openOnWan); its ports then open on the WAN.
     */
    public record Service(String id, String description, boolean optional, List<User> users, List<Port> ports,
                          List<String> checks, List<String> settings, List<String> etcFiles, boolean openable) {
    }

    public static final String ROOT = "image-pipeline/services/";
    private static final List<Service> SERVICES = load();

    private ServiceCatalog() {
    }

    public static List<Service> all() {
        return SERVICES;
    }

    /** The services a profile may enable, in the catalogue's order (alphabetical by folder). */
    public static List<Service> optional() {
        return SERVICES.stream().filter(Service::optional).toList();
    }

    public static Service byId(String id) {
        return SERVICES.stream().filter(s -> s.id().equals(id)).findFirst().orElse(null);
    }

    /** The services a profile may open on the WAN (service.conf openable = true). */
    public static List<Service> openable() {
        return SERVICES.stream().filter(Service::openable).toList();
    }

    public static String optionalIds() {
        return optional().stream().map(Service::id).collect(Collectors.joining(", "));
    }

    /** Position of an optional service in the catalogue, for a stable canonical order; unknown last. */
    public static int order(String id) {
        List<Service> opt = optional();
        for (int i = 0; i < opt.size(); i++) {
            if (opt.get(i).id().equals(id)) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    private static List<Service> load() {
        try {
            Resource[] confs = new PathMatchingResourcePatternResolver(ServiceCatalog.class.getClassLoader())
                    .getResources("classpath*:" + ROOT + "*/service.conf");
            List<Service> out = new ArrayList<>();
            for (Resource r : confs) {
                String id = folderName(r.getURL().toString());
                if (out.stream().noneMatch(s -> s.id().equals(id))) {
                    out.add(parse(id, r));
                }
            }
            if (out.isEmpty()) {
                throw new IllegalStateException("no services found under " + ROOT + " on the classpath");
            }
            out.sort(Comparator.comparing(Service::id));
            return List.copyOf(out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + ROOT + ": " + e.getMessage(), e);
        }
    }

    private static String folderName(String url) {
        String dir = url.substring(0, url.lastIndexOf('/'));
        return dir.substring(dir.lastIndexOf('/') + 1);
    }

    static Service parse(String id, Resource r) throws IOException {
        Properties p = new Properties();
        try (InputStream in = r.getInputStream()) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        String where = ROOT + id + "/service.conf";
        List<User> users = new ArrayList<>();
        for (String u : words(p, "users")) {
            String[] f = u.split(":", -1);
            if (f.length != 5) {
                throw new IllegalStateException(where + ": bad users entry '" + u + "' (want name:uid:gid:home:gecos)");
            }
            users.add(new User(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), f[3], f[4]));
        }
        List<Port> ports = new ArrayList<>();
        for (String s : words(p, "ports")) {
            String[] f = s.split("/", -1);
            if (f.length != 3 || !List.of("lan", "wan").contains(f[0]) || !List.of("tcp", "udp").contains(f[1])) {
                throw new IllegalStateException(where + ": bad ports entry '" + s + "' (want zone/protocol/port, e.g. lan/tcp/22)");
            }
            ports.add(new Port(f[0], f[1], Integer.parseInt(f[2])));
        }
        List<String> etc = new ArrayList<>();
        for (String f : words(p, "files")) {
            etc.add(f.substring(0, f.indexOf('=') < 0 ? f.length() : f.indexOf('=')));
        }
        return new Service(id, p.getProperty("description", "").trim(), Boolean.parseBoolean(p.getProperty("optional", "false").trim()),
                List.copyOf(users), List.copyOf(ports), words(p, "lab.checks"), words(p, "settings"), List.copyOf(etc),
                Boolean.parseBoolean(p.getProperty("openable", "false").trim()));
    }

    private static List<String> words(Properties p, String key) {
        String v = p.getProperty(key, "").trim();
        return v.isEmpty() ? List.of() : Arrays.stream(v.split("\\s+")).toList();
    }
}
