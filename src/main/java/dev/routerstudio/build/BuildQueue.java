package dev.routerstudio.build;

import dev.routerstudio.node.NodeProperties;
import dev.routerstudio.node.WorkerNodes;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The build queue is the build table: every node that runs builds (studio.node.role all or
 * worker) claims the oldest queued build when it has a free slot (studio.builds.workers, one
 * by default on a 2-core machine), with a compare-and-set on the row, so a build never runs on
 * two workers. While it runs, the worker says so every heartbeat and looks for a cancel request
 * (which any node may write); a build whose worker has been silent for takeoverAfter is put back
 * in the queue once, or failed as interrupted if it already was.
 */
@Component
class BuildQueue {

    private static final Logger log = LoggerFactory.getLogger(BuildQueue.class);

    /** Where a running build is: its stage and how much of it is done. */
    record Progress(String stage, double fraction) {
    }

    /** The future is set right after submitting; the entry exists before the task can end and remove it. */
    private record Running(AtomicBoolean cancelled, AtomicReference<Future<?>> future) {
    }

    private final BuildWorker worker;
    private final BuildRepository builds;
    private final TransactionTemplate tx;
    private final BuildLog logs;
    private final WorkerNodes nodes;
    private final NodeProperties node;
    private final int slots;
    private final ExecutorService workers;
    private final ScheduledExecutorService clock;
    private final AtomicBoolean started = new AtomicBoolean();
    private final Map<Long, Progress> progress = new ConcurrentHashMap<>();
    private final Map<Long, Running> running = new ConcurrentHashMap<>();

    BuildQueue(BuildWorker worker, BuildRepository builds, TransactionTemplate tx, BuildLog logs, WorkerNodes nodes,
               NodeProperties node, @Value("${studio.builds.workers:1}") int workerCount) {
        this.worker = worker;
        this.builds = builds;
        this.tx = tx;
        this.logs = logs;
        this.nodes = nodes;
        this.node = node;
        this.slots = Math.max(1, workerCount);
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(slots, r -> daemon(r, "build-worker-" + n.incrementAndGet()));
        this.clock = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "build-queue"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Starts claiming, beating and taking over, once, after recovery. Only nodes that run builds
     * do: the workers watch each other, and a web node only writes rows.
     */
    void start() {
        if (!node.role().runsBuilds() || !started.compareAndSet(false, true)) {
            return;
        }
        long beat = node.heartbeat().toMillis();
        nodes.register(slots);
        clock.scheduleWithFixedDelay(guarded(this::dispatch), 0, 1, TimeUnit.SECONDS);
        clock.scheduleWithFixedDelay(guarded(this::heartbeat), beat, beat, TimeUnit.MILLISECONDS);
        clock.scheduleWithFixedDelay(guarded(this::takeOver), beat, beat, TimeUnit.MILLISECONDS);
    }

    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("build queue: {}", e.toString());
            }
        };
    }

    /** A build was queued here: look for work now rather than at the next tick. */
    void nudge() {
        if (started.get()) {
            clock.execute(guarded(this::dispatch));
        }
    }

    /** Claims queued builds, oldest first, while this node has free slots. */
    private void dispatch() {
        while (running.size() < slots) {
            List<Build> candidates = builds.findTop5ByStatusOrderByIdAsc(BuildStatus.QUEUED);
            Optional<Long> claimed = candidates.stream().map(Build::getId)
                    .filter(id -> Integer.valueOf(1).equals(tx.execute(s -> builds.claim(id, node.name(), Instant.now()))))
                    .findFirst();
            if (claimed.isEmpty()) {
                return;
            }
            run(claimed.get());
        }
    }

    private void run(long id) {
        Running entry = new Running(new AtomicBoolean(), new AtomicReference<>());
        running.put(id, entry);
        entry.future().set(workers.submit(() -> {
            try {
                worker.run(id, entry.cancelled(), (stage, fraction) -> progress.put(id, new Progress(stage, fraction)));
            } finally {
                running.remove(id, entry);
                progress.remove(id);
                nudge();
            }
        }));
    }

    /** Says this node and its builds are alive, and stops the builds someone asked to cancel. */
    private void heartbeat() {
        Instant now = Instant.now();
        List<Long> cancel = tx.execute(s -> {
            builds.beat(node.name(), now);
            nodes.beat(running.size(), now);
            return builds.cancelRequestedOn(node.name());
        });
        cancel.forEach(this::cancel);
    }

    /** Puts the builds of a worker that stopped beating back in the queue (once), or fails them. */
    private void takeOver() {
        Instant silentSince = Instant.now().minus(node.takeoverAfter());
        for (Build b : builds.runningWithoutHeartbeatSince(silentSince)) {
            if (!running.containsKey(b.getId())) {
                takeOver(b, "worker " + b.getWorker() + " sent no heartbeat for " + node.takeoverAfter().toSeconds() + " s");
            }
        }
    }

    /** Takes over a build whose worker is gone (died, or restarted): queued again once, then failed. */
    void takeOver(Build b, String why) {
        long id = b.getId();
        if (b.getAttempt() < 2) {
            if (Integer.valueOf(1).equals(tx.execute(s -> builds.requeue(id, b.getAttempt())))) {
                logs.note(id, "taken over by " + node.name() + ": " + why + "; queued again (attempt 2 of 2)");
                log.info("Build {} taken over: {}; queued again", id, why);
                nudge();
            }
        } else {
            String error = "interrupted: " + why + " during the second attempt — build again to retry";
            if (Integer.valueOf(1).equals(tx.execute(s -> builds.failInterrupted(id, b.getAttempt(), error, Instant.now())))) {
                logs.note(id, "FAILED: " + error);
                log.info("Build {} failed: {}", id, error);
            }
        }
    }

    /** Stops a build running here between steps and kills its running tool. */
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

    boolean runsHere(long id) {
        return running.containsKey(id);
    }

    Optional<Progress> progress(long id) {
        return Optional.ofNullable(progress.get(id));
    }

    @PreDestroy
    void stop() throws InterruptedException {
        clock.shutdownNow();
        running.values().forEach(r -> r.cancelled().set(true));
        workers.shutdownNow();
        workers.awaitTermination(20, TimeUnit.SECONDS);
    }
}
