package dev.routerstudio;

import org.springframework.test.context.DynamicPropertyRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster for the test run: Debian's server binaries (bin/setup installs
 * them), a fresh data folder under target/postgres, a free port on 127.0.0.1 and its socket in
 * that folder; started on first use, stopped when the test JVM ends. No system service, no
 * shared state: every Spring context that asks gets a database of its own.
 * <p>
 * PostgreSQL refuses to run as root, so as root (CI) the server runs as Debian's `postgres` user,
 * which owns the data folder.
 */
public final class PostgresCluster {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresCluster running;

    private final Path bin;
    private final Path data;
    private final int port;

    private PostgresCluster(Path bin, Path data, int port) {
        this.bin = bin;
        this.data = data;
        this.port = port;
    }

    /** Points the context's datasource at a new, empty database of the run's cluster. */
    public static void register(DynamicPropertyRegistry registry) {
        String url = cluster().newDatabase();
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", () -> "studio");
        registry.add("spring.datasource.password", () -> "");
    }

    public static synchronized PostgresCluster cluster() {
        if (running == null) {
            running = start();
        }
        return running;
    }

    /** A new, empty database of the cluster: its JDBC URL (user studio, no password). */
    public String newDatabase() {
        String name = "studio_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (var c = DriverManager.getConnection(url("postgres"), "studio", "");
             var s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " in the test cluster: " + e.getMessage(), e);
        }
        return url(name);
    }

    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private static PostgresCluster start() {
        Path bin = serverBinaries();
        Path root = Path.of("target", "postgres").toAbsolutePath();
        Path data = root.resolve("data");
        boolean asRoot = "root".equals(System.getProperty("user.name"));
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) { // left running by a test JVM that was killed
                try {
                    asServerUser(asRoot, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
                } catch (IllegalStateException gone) {
                    // no server behind the pid file: nothing to stop
                }
            }
            deleteTree(root);
            Files.createDirectories(root);
            if (asRoot) {
                run(List.of("chown", "postgres:postgres", root.toString()));
            }
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            asServerUser(asRoot, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "studio",
                    "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"));
            asServerUser(asRoot, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60",
                    "-l", root.resolve("server.log").toString(),
                    "-o", "-p " + port + " -k " + root + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"));
            PostgresCluster cluster = new PostgresCluster(bin, data, port);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> cluster.stop(asRoot)));
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test PostgreSQL cluster in " + root, e);
        }
    }

    private void stop(boolean asRoot) {
        try {
            asServerUser(asRoot, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop"));
        } catch (RuntimeException | IOException e) {
            System.err.println("PostgresCluster: stopping failed: " + e.getMessage());
        }
    }

    /** The newest server under /usr/lib/postgresql (Debian's layout; bookworm ships 15). */
    private static Path serverBinaries() {
        Path base = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.list(base)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL server under " + base + " — run bin/setup"));
        } catch (IOException e) {
            throw new IllegalStateException("no PostgreSQL server under " + base + " — run bin/setup", e);
        }
    }

    private static void asServerUser(boolean asRoot, List<String> command) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (asRoot) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(command);
        run(cmd);
    }

    private static void run(List<String> cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("TMPDIR", Path.of("target").toAbsolutePath().toString());
        Process p = pb.start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IllegalStateException("interrupted: " + String.join(" ", cmd), e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
