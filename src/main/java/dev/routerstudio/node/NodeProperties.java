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
 */
@ConfigurationProperties("studio.node")
public record NodeProperties(Role role, String name, Duration heartbeat, Duration takeoverAfter) {

    public enum Role {
        ALL, WEB, WORKER;

        public boolean runsBuilds() {
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
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "studio";
        }
    }
}
