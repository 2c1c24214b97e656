package dev.routerstudio.build;

import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Build logs: one file per build, plus live followers over SSE while the build runs. Each line
 * is an SSE event whose id is its line number, so a viewer that reconnects with Last-Event-ID
 * continues exactly where it stopped. Secrets handed to {@link #open} never reach the file.
 */
public class BuildLog {

    private final Path buildsDir;
    private final Map<Long, Live> live = new ConcurrentHashMap<>();

    public BuildLog(Path buildsDir) {
        this.buildsDir = buildsDir;
    }

    Path file(long buildId) {
        return buildsDir.resolve(Long.toString(buildId)).resolve("build.log");
    }

    /** Starts the live log of a running build; secrets are masked in every line. */
    void open(long buildId, List<String> secrets) {
        try {
            Files.createDirectories(file(buildId).getParent());
            BufferedWriter writer = Files.newBufferedWriter(file(buildId), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            List<String> existing = Files.readAllLines(file(buildId), StandardCharsets.UTF_8);
            live.put(buildId, new Live(writer, secrets.stream().filter(s -> s != null && !s.isEmpty()).toList(), existing));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the build log " + file(buildId), e);
        }
    }

    void append(long buildId, String line) {
        Live l = live.get(buildId);
        if (l != null) {
            l.append(line);
        }
    }

    /**
     * A line about a build that is not running here (taken over from a dead worker): written to
     * its file, or to its live log if it does run here after all.
     */
    void note(long buildId, String line) {
        Live l = live.get(buildId);
        if (l != null) {
            l.append(line);
            return;
        }
        try {
            Files.createDirectories(file(buildId).getParent());
            Files.writeString(file(buildId), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the log is best effort; the build's outcome does not depend on it
        }
    }

    /** Ends the live log: followers get the rest and are completed. */
    void close(long buildId) {
        Live l = live.remove(buildId);
        if (l != null) {
            l.close();
        }
    }

    /** The whole log as text. */
    String text(long buildId) {
        Live l = live.get(buildId);
        if (l != null) {
            return String.join("\n", l.snapshot()) + "\n";
        }
        try {
            return Files.exists(file(buildId)) ? Files.readString(file(buildId), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Streams the log from the line after lastEventId; follows live if the build runs here, and
     * tails its file (on the storage every node shares) while it runs on another worker.
     */
    SseEmitter follow(long buildId, long lastEventId, BooleanSupplier runningElsewhere) {
        SseEmitter emitter = new SseEmitter(0L);
        Live l = live.get(buildId);
        if (l != null && l.subscribe(emitter, lastEventId)) {
            return emitter;
        }
        AtomicLong sent = new AtomicLong(Math.max(0, lastEventId));
        Runnable tail = new Runnable() {
            @Override
            public void run() {
                try {
                    boolean more = runningElsewhere.getAsBoolean();
                    List<String> lines = Files.exists(file(buildId)) ? Files.readAllLines(file(buildId), StandardCharsets.UTF_8) : List.of();
                    for (int i = (int) sent.get(); i < lines.size(); i++) {
                        emitter.send(SseEmitter.event().id(Long.toString(i + 1)).data(lines.get(i), MediaType.TEXT_PLAIN));
                        sent.set(i + 1);
                    }
                    if (more) {
                        TAIL.schedule(this, 500, TimeUnit.MILLISECONDS);
                    } else {
                        emitter.send(SseEmitter.event().name("end").data("end"));
                        emitter.complete();
                    }
                } catch (IOException | IllegalStateException e) {
                    emitter.completeWithError(e);
                }
            }
        };
        tail.run();
        return emitter;
    }

    private static final ScheduledExecutorService TAIL = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "build-log-tail");
        t.setDaemon(true);
        return t;
    });

    private static final class Live {
        private final BufferedWriter writer;
        private final List<String> secrets;
        private final List<String> lines;
        private final List<SseEmitter> followers = new CopyOnWriteArrayList<>();
        private boolean closed;

        Live(BufferedWriter writer, List<String> secrets, List<String> existing) {
            this.writer = writer;
            this.secrets = secrets;
            this.lines = new ArrayList<>(existing);
        }

        synchronized void append(String raw) {
            if (closed) {
                return;
            }
            String line = raw;
            for (String secret : secrets) {
                line = line.replace(secret, "********");
            }
            lines.add(line);
            try {
                writer.write(line);
                writer.write('\n');
                writer.flush();
            } catch (IOException e) {
                // the log is best effort; the build's outcome does not depend on it
            }
            long id = lines.size();
            for (SseEmitter f : followers) {
                try {
                    f.send(SseEmitter.event().id(Long.toString(id)).data(line, MediaType.TEXT_PLAIN));
                } catch (IOException | IllegalStateException e) {
                    followers.remove(f);
                }
            }
        }

        synchronized boolean subscribe(SseEmitter emitter, long lastEventId) {
            if (closed) {
                return false;
            }
            try {
                for (int i = (int) Math.max(0, lastEventId); i < lines.size(); i++) {
                    emitter.send(SseEmitter.event().id(Long.toString(i + 1)).data(lines.get(i), MediaType.TEXT_PLAIN));
                }
            } catch (IOException e) {
                return true;
            }
            followers.add(emitter);
            emitter.onCompletion(() -> followers.remove(emitter));
            emitter.onTimeout(() -> followers.remove(emitter));
            emitter.onError(t -> followers.remove(emitter));
            return true;
        }

        synchronized List<String> snapshot() {
            return List.copyOf(lines);
        }

        synchronized void close() {
            closed = true;
            try {
                writer.close();
            } catch (IOException ignored) {
                // nothing more to write
            }
            for (SseEmitter f : followers) {
                try {
                    f.send(SseEmitter.event().name("end").data("end"));
                    f.complete();
                } catch (IOException | IllegalStateException ignored) {
                    // the viewer went away
                }
            }
            followers.clear();
        }
    }
}
