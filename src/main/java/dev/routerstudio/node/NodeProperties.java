package dev.routerstudio.node;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * This studio process as one node among several sharing a database (studio.node.*).
 *
 * @param role          {@code all} (default: web and worker in one process), {@code web} (pages
 *                      and API, runs no builds) or {@code worker} (runs builds, no pages)
 * @param name          the node's name on build pages and the workers list (default: host name)
 * @param heartbeat     how often a worker says it is alive and looks for cancel requests
 * @param takeoverAfter a running build whose worker has been silent this long is taken over
 * @param url           where the other nodes reach this one (e.g. http://worker-1:8080); a node
 *                      that runs labs and has a url and a secret takes labs started elsewhere
 * @param secret        shared by all nodes of one studio: node-to-node calls carry it (header
 *                      {@value #SECRET_HEADER}); at least 16 characters
 */
@ConfigurationProperties("studio.node")
public record NodeProperties(Role role, String name, Duration heartbeat, Duration takeoverAfter, String url, String secret) {

    /** The header a node's calls to another node carry the shared secret in. */
    public static final String SECRET_HEADER = "X-Studio-Node-Secret";

    public enum Role {
        ALL, WEB, WORKER;

        public boolean runsBuilds() {
            return this != WEB;
        }

        public boolean runsLabs() {
            return this != WEB;
        }
    }

    public NodeProperties {
        role = role == null ? Role.ALL : role;
        name = name == null || name.isBlank() ? hostName() : name.strip();
        if (name.length() > 63) {
            throw new IllegalArgumentException("studio.node.name: at most 63 characters, got " + name.length());
        }
        heartbeat = heartbeat == null ? Duration.ofSeconds(2) : heartbeat;
        takeoverAfter = takeoverAfter == null ? Duration.ofSeconds(20) : takeoverAfter;
        if (takeoverAfter.compareTo(heartbeat.multipliedBy(3)) < 0) {
            throw new IllegalArgumentException("studio.node.takeover-after (" + takeoverAfter + ") must be at least three heartbeats ("
                    + heartbeat.multipliedBy(3) + "), or a slow worker loses its builds");
        }
        url = url == null || url.isBlank() ? null : url.strip().replaceAll("/+$", "");
        if (url != null && !url.matches("https?://[^\\s/?#]+(/[^\\s?#]*)?")) {
            throw new IllegalArgumentException("studio.node.url: '" + url + "' is not an http(s) URL such as http://worker-1:8080");
        }
        secret = secret == null || secret.isBlank() ? null : secret.strip();
        if (secret != null && secret.length() < 16) {
            throw new IllegalArgumentException("studio.node.secret: at least 16 characters (e.g. `openssl rand -hex 24`), got " + secret.length());
        }
    }

    /** Other nodes may send this one labs: it runs labs and says where and how to reach it. */
    public boolean takesRemoteLabs() {
        return role.runsLabs() && url != null && secret != null;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "studio";
        }
    }
}
