package dev.routerstudio.build;

import jakarta.annotation.PreDestroy;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The build queue: builds are rows in the database, run by a bounded pool of workers (one by
 * default on this 2-core machine). Knows which builds are waiting or running, where each
 * running one is, and how to stop one.
 */
@Component
class BuildQueue {

    /** Where a running build is: its stage and how much of it is done. */
    record Progress(String stage, double fraction) {
    }

    /** The future is set right after submitting; the entry exists before the task can end and remove it. */
    private record Running(AtomicBoolean cancelled, AtomicReference<Future<?>> future) {
    }

    private final BuildWorker worker;
    private final ExecutorService workers;
    private final Map<Long, Progress> progress = new ConcurrentHashMap<>();
    private final Map<Long, Running> running = new ConcurrentHashMap<>();

    BuildQueue(BuildWorker worker, @Value("${studio.builds.workers:1}") int workerCount) {
        this.worker = worker;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(Math.max(1, workerCount), r -> {
            Thread t = new Thread(r, "build-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    void enqueue(long id) {
        Running entry = new Running(new AtomicBoolean(), new AtomicReference<>());
        running.put(id, entry);
        entry.future().set(workers.submit(() -> {
            try {
                worker.run(id, entry.cancelled(), (stage, fraction) -> progress.put(id, new Progress(stage, fraction)));
            } finally {
                running.remove(id, entry);
                progress.remove(id);
            }
        }));
    }

    /** Stops a running build between steps and kills its running tool; a queued one will not start. */
    void cancel(long id) {
        Running r = running.get(id);
        if (r != null) {
            r.cancelled().set(true);
            Future<?> f = r.future().get();
            if (f != null) {
                f.cancel(true);
            }
        }
    }

    Optional<Progress> progress(long id) {
        return Optional.ofNullable(progress.get(id));
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running.values().forEach(r -> r.cancelled().set(true));
        workers.shutdownNow();
        workers.awaitTermination(20, TimeUnit.SECONDS);
    }
}
