package dev.routerstudio.lab;

import dev.routerstudio.lab.link.LabLinks;
import dev.routerstudio.lab.link.LinkChange;
import dev.routerstudio.lab.link.LinkRelay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs check scripts over node consoles, one at a time. Each node's console is followed from
 * its first line; "expect" moves a per-node cursor past what it matched, "run" wraps the command
 * in echo markers (written so the echo of the typed line itself never matches) and captures the
 * output between them. Every wait is bounded by the step's and the check's deadline.
 */
public final class CheckEngine implements AutoCloseable {

    private static final int TAIL_LINES = 15;
    private static final AtomicLong RUN_IDS = new AtomicLong();

    private final Map<String, CheckNode> nodes = new LinkedHashMap<>();
    private final Map<String, Transcript> transcripts = new HashMap<>();
    private final Map<String, Long> cursors = new HashMap<>();
    private final List<ConsoleBuffer.Subscription> subscriptions = new ArrayList<>();
    private final Map<String, String> variables;
    private final Supplier<Double> clock;
    private final Map<String, CheckStatus> outcomes = new LinkedHashMap<>();
    private final LabLinks links;

    /** clock: seconds since the lab's reference point (the router's start), for CheckResult.atSeconds. */
    public CheckEngine(List<? extends CheckNode> nodeList, Map<String, String> variables, Supplier<Double> clock) {
        this(nodeList, variables, clock, Map.of(), null);
    }

    public CheckEngine(List<? extends CheckNode> nodeList, Map<String, String> variables, Supplier<Double> clock,
                       Map<String, Long> after) {
        this(nodeList, variables, clock, after, null);
    }

    public CheckEngine(List<? extends CheckNode> nodeList, Map<String, String> variables, Supplier<Double> clock, LabLinks links) {
        this(nodeList, variables, clock, Map.of(), links);
    }

    /**
     * after: per node, the console event id the checks start after (0, the node's first line, when absent).
     * links: the lab's links the "link" step acts on (null: a lab without relayed links, where the step fails).
     */
    public CheckEngine(List<? extends CheckNode> nodeList, Map<String, String> variables, Supplier<Double> clock,
                       Map<String, Long> after, LabLinks links) {
        this.links = links;
        for (CheckNode n : nodeList) {
            nodes.put(n.name(), n);
            Transcript t = new Transcript(n.buffer());
            transcripts.put(n.name(), t);
            cursors.put(n.name(), 0L);
            subscriptions.add(n.buffer().subscribe(after.getOrDefault(n.name(), 0L), t));
        }
        this.variables = new HashMap<>(variables);
        this.clock = clock;
    }

    private static final class StepFailed extends Exception {
        final String node;
        /** A failon line was seen: retrying cannot help, so "until" gives up at once. */
        final boolean fatal;

        StepFailed(String node, String reason) {
            this(node, reason, false);
        }

        StepFailed(String node, String reason, boolean fatal) {
            super(reason);
            this.node = node;
            this.fatal = fatal;
        }
    }

    private final class Run {
        final CheckScript script;
        final long deadline;
        final Map<String, String> vars = new HashMap<>(variables);
        final StringBuilder evidence = new StringBuilder();
        final Pattern[] failOn;
        final Map<String, Long> failFrom = new HashMap<>();
        String node;
        String lastOutput;
        String lastCommand;
        /** Each link this check changed, with its setting before the first change. */
        final Map<String, LinkChange> touchedLinks = new LinkedHashMap<>();

        Run(CheckScript script) {
            this.script = script;
            this.deadline = System.nanoTime() + Duration.ofSeconds(script.timeoutSeconds()).toNanos();
            this.node = script.node();
            List<Pattern> f = new ArrayList<>();
            for (String r : script.failOn()) {
                f.add(Pattern.compile(subst(r, true)));
            }
            this.failOn = f.toArray(new Pattern[0]);
            for (String n : nodes.keySet()) {
                failFrom.put(n, transcripts.get(n).end());
            }
        }

        String subst(String s, boolean regex) {
            Matcher m = Pattern.compile("\\$\\{(re:)?([A-Za-z0-9_.-]+)}").matcher(s);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String v = vars.get(m.group(2));
                if (v == null) {
                    throw new IllegalArgumentException("check " + script.name() + " uses ${" + m.group(2) + "}, which this lab does not define");
                }
                m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) != null ? Pattern.quote(v) : v));
            }
            m.appendTail(out);
            return out.toString();
        }

        long stepDeadline(int seconds) {
            return seconds <= 0 ? deadline : Math.min(deadline, System.nanoTime() + Duration.ofSeconds(seconds).toNanos());
        }

        CheckNode current() throws StepFailed {
            CheckNode n = nodes.get(node);
            if (n == null) {
                throw new StepFailed(node, "this lab has no node '" + node + "' (nodes: " + nodes.keySet() + ")");
            }
            return n;
        }

        /** failon lines watch every node's console: the ISP often says why before the router does. */
        Pattern[] failOnFor(String n) {
            return failOn;
        }

        void exec(List<CheckScript.Step> steps) throws StepFailed, InterruptedException {
            for (CheckScript.Step s : steps) {
                exec(s);
            }
        }

        void exec(CheckScript.Step step) throws StepFailed, InterruptedException {
            if (System.nanoTime() > deadline) {
                throw new StepFailed(node, "the check's " + script.timeoutSeconds() + " s ran out (line " + step.line() + ")");
            }
            if (step instanceof CheckScript.On on) {
                node = subst(on.node(), false);
            } else if (step instanceof CheckScript.Send send) {
                current().type(subst(send.text(), false) + "\n");
            } else if (step instanceof CheckScript.Sleep sl) {
                Thread.sleep(Math.min(seconds(sl.seconds(), sl.secondsExpr()) * 1000L, Math.max(0, (deadline - System.nanoTime()) / 1_000_000)));
            } else if (step instanceof CheckScript.Link l) {
                link(l);
            } else if (step instanceof CheckScript.Restart rs) {
                restart(rs);
            } else if (step instanceof CheckScript.Expect ex) {
                Pattern p = Pattern.compile(subst(ex.regex(), true));
                Transcript t = transcripts.get(current().name());
                Transcript.Found f = await(t, p, cursors.get(node), stepDeadline(ex.withinSeconds()));
                if (f == null) {
                    throw new StepFailed(node, "expected /" + p.pattern() + "/ on the " + node + " console" + within(ex.withinSeconds()) + consoleEnded(node));
                }
                cursors.put(node, f.end());
                capture(f.matcher(), p);
                evidence.append('[').append(node).append("] ").append(lineAround(t, f)).append('\n');
            } else if (step instanceof CheckScript.Run r) {
                run(r);
            } else if (step instanceof CheckScript.Match m) {
                if (lastOutput == null) {
                    throw new StepFailed(node, "line " + m.line() + ": 'match' before any 'run'");
                }
                // line by line: daemons on the router may write to the same console between a command's lines
                Pattern p = Pattern.compile(subst(m.regex(), true), Pattern.MULTILINE);
                Matcher mm = p.matcher(lastOutput);
                boolean found = mm.find();
                if (found == m.negate()) {
                    throw new StepFailed(node, (m.negate() ? "did not expect /" : "expected /") + p.pattern() + "/ in the output of `"
                            + lastCommand + "` on " + node + "; it printed: " + oneLine(lastOutput));
                }
                if (found) {
                    capture(mm, p);
                }
            } else if (step instanceof CheckScript.Until u) {
                until(u);
            } else if (step instanceof CheckScript.Exits ex) {
                Integer code = current().awaitExit(Duration.ofNanos(Math.max(0, stepDeadline(ex.withinSeconds()) - System.nanoTime())));
                if (code == null) {
                    throw new StepFailed(node, "expected " + node + "'s QEMU to end by itself within " + ex.withinSeconds() + " s; it is still running");
                }
                if (code != 0) {
                    throw new StepFailed(node, node + "'s QEMU ended with exit code " + code + " (expected 0)");
                }
                evidence.append('[').append(node).append("] QEMU exited with code 0\n");
            }
        }

        void run(CheckScript.Run r) throws StepFailed, InterruptedException {
            String cmd = subst(r.command(), false);
            Transcript t = transcripts.get(current().name());
            long id = 0;
            Transcript.Found begin = null;
            Transcript.Found endF = null;
            // A line typed while the guest is busy can arrive mangled (a lost quote leaves the shell
            // waiting for more): if the markers do not come back, cancel the line with ^C and type it
            // once more.
            for (int attempt = 0; attempt < 2 && endF == null; attempt++) {
                if (attempt > 0) {
                    current().type("\u0003\n");
                    Thread.sleep(500);
                }
                id = RUN_IDS.incrementAndGet();
                long from = t.end();
                // The typed line reads  echo @B""7; CMD; echo @E""7 $?  — its echo never contains @B7 or @E7.
                current().type("echo @B\"\"" + id + "; " + cmd + "; echo @E\"\"" + id + " $?\n");
                long dl = stepDeadline(r.withinSeconds());
                begin = await(t, Pattern.compile("(?m)^@B" + id + "$"), from, dl);
                endF = begin == null ? null : await(t, Pattern.compile("(?m)^@E" + id + " (\\d+)$"), begin.end(), dl);
            }
            lastCommand = cmd;
            if (endF == null) {
                lastOutput = null;
                throw new StepFailed(node, "`" + cmd + "` on " + node + " did not finish" + within(r.withinSeconds()) + consoleEnded(node));
            }
            String out = t.slice(begin.end(), endF.start());
            lastOutput = out.startsWith("\n") ? out.substring(1) : out;
            vars.put("rc", endF.matcher().group(1));
            vars.put("out", lastOutput.strip());
            cursors.put(node, endF.end());
            evidence.append('[').append(node).append("]# ").append(cmd).append('\n').append(lastOutput);
            if (!lastOutput.isEmpty() && !lastOutput.endsWith("\n")) {
                evidence.append('\n');
            }
        }

        int seconds(int constant, String expr) {
            return expr == null ? constant : CheckScript.evalSeconds(subst(expr, false));
        }

        void restart(CheckScript.Restart rs) throws StepFailed {
            String n = subst(rs.node(), false);
            CheckNode target = nodes.get(n);
            if (target == null) {
                throw new StepFailed(node, "line " + rs.line() + ": this lab has no node '" + n + "' (nodes: " + nodes.keySet() + ")");
            }
            // what the node printed before its restart is not what a later expect waits for
            cursors.put(n, transcripts.get(n).end());
            failFrom.put(n, transcripts.get(n).end());
            long t0 = System.nanoTime();
            try {
                target.restart();
            } catch (java.io.IOException | RuntimeException e) {
                throw new StepFailed(node, "line " + rs.line() + ": restarting " + n + " failed: " + e.getMessage());
            }
            evidence.append('[').append(n).append("] powered off and booted again (its QEMU started ")
                    .append(Duration.ofNanos(System.nanoTime() - t0).toMillis()).append(" ms after the restart began)\n");
        }

        void link(CheckScript.Link l) throws StepFailed {
            String name = subst(l.link(), false);
            if (links == null) {
                throw new StepFailed(node, "line " + l.line() + ": this lab has no relayed links to change");
            }
            LinkRelay relay;
            try {
                relay = links.link(name);
            } catch (IllegalArgumentException e) {
                throw new StepFailed(node, "line " + l.line() + ": " + e.getMessage());
            }
            touchedLinks.putIfAbsent(name, relay.setting());
            var now = relay.change(l.change());
            evidence.append("[link ").append(name).append("] ").append(now.state())
                    .append(now.impairment().isNone() ? "" : ", loss " + now.impairment().lossPercent() + " %, delay "
                            + now.impairment().delayMs() + " ms, jitter " + now.impairment().jitterMs() + " ms")
                    .append(" (at ").append(clock.get()).append(" s)\n");
        }

        /** A check's link changes end with it, whatever its outcome. */
        void restoreLinks() {
            touchedLinks.forEach((name, before) -> links.link(name).change(before));
        }

        void until(CheckScript.Until u) throws StepFailed, InterruptedException {
            int untilSeconds = seconds(u.seconds(), u.secondsExpr());
            long untilDeadline = stepDeadline(untilSeconds);
            StepFailed last = null;
            int attempts = 0;
            while (System.nanoTime() < untilDeadline) {
                long attemptStart = System.nanoTime();
                int evidenceMark = evidence.length();
                attempts++;
                try {
                    exec(u.body());
                    return;
                } catch (StepFailed f) {
                    if (f.fatal) {
                        throw f;
                    }
                    last = f;
                    evidence.setLength(evidenceMark);
                }
                long next = attemptStart + Duration.ofSeconds(u.everySeconds()).toNanos();
                long sleep = Math.min(next, untilDeadline) - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
            throw new StepFailed(last != null ? last.node : node, "not true within " + untilSeconds + " s (" + attempts + " attempts); last attempt: "
                    + (last != null ? last.getMessage() : "none ran"));
        }

        Transcript.Found await(Transcript t, Pattern p, long from, long dl) throws StepFailed, InterruptedException {
            // Wait in slices, so failon lines on the other consoles are noticed too.
            while (true) {
                for (String other : nodes.keySet()) {
                    String line = transcripts.get(other).findFailOn(failOn, failFrom.get(other));
                    if (line != null) {
                        throw new StepFailed(other, "the " + other + " console printed \"" + line + "\"", true);
                    }
                }
                long slice = Math.min(dl, System.nanoTime() + 500_000_000L);
                try {
                    Transcript.Found f = t.await(p, from, slice, failOnFor(node), failFrom.get(node));
                    if (f != null || System.nanoTime() >= dl || nodes.get(node).buffer().isClosed()) {
                        return f;
                    }
                } catch (Transcript.FailOnException e) {
                    throw new StepFailed(node, "the " + node + " console printed \"" + e.line + "\"", true);
                }
            }
        }

        void capture(Matcher m, Pattern p) {
            for (String g : groupNames(p.pattern())) {
                String v = m.group(g);
                if (v != null) {
                    vars.put(g, v);
                }
            }
        }

        String within(int seconds) {
            return seconds > 0 ? " within " + seconds + " s" : " before the check's " + script.timeoutSeconds() + " s ran out";
        }

        String consoleEnded(String n) {
            return nodes.get(n).buffer().isClosed() ? " (the console has ended: the node is down)" : "";
        }
    }

    /** Runs one check to its end; progress is told RUNNING first. Never throws for a failing check. */
    public CheckResult run(CheckScript script, java.util.function.Consumer<CheckResult> progress) {
        CheckResult r = runOnce(script, progress);
        outcomes.put(script.name(), r.status());
        return r;
    }

    private CheckResult runOnce(CheckScript script, java.util.function.Consumer<CheckResult> progress) {
        long start = System.nanoTime();
        // A check that does not apply is skipped before asking whether what it needs passed
        // (restart-ipv6 needs restart, which a static WAN skips).
        for (String r : script.requires()) {
            if (!"true".equals(variables.get(r))) {
                return new CheckResult(script.name(), script.title(), CheckStatus.SKIPPED, 0, clock.get(),
                        "skipped: " + r + " is off for this profile (WAN mode " + variables.getOrDefault("wan.mode", "?") + ")", null);
            }
        }
        for (String need : script.needs()) {
            boolean passed = outcomes.entrySet().stream()
                    .anyMatch(e -> e.getKey().startsWith(need) && e.getValue() == CheckStatus.PASSED);
            if (!passed) {
                return new CheckResult(script.name(), script.title(), CheckStatus.FAILED, 0, clock.get(),
                        "not run: it needs the " + need + " check, which did not pass", null);
            }
        }
        progress.accept(new CheckResult(script.name(), script.title(), CheckStatus.RUNNING, 0, null, null, null));
        Run run;
        try {
            run = new Run(script);
        } catch (IllegalArgumentException e) {
            return new CheckResult(script.name(), script.title(), CheckStatus.FAILED, 0, clock.get(), e.getMessage(), null);
        }
        try {
            return finish(script, run, start);
        } finally {
            run.restoreLinks();
        }
    }

    private CheckResult finish(CheckScript script, Run run, long start) {
        try {
            run.exec(script.steps());
            variables.putAll(capturedOnly(run.vars));
            return new CheckResult(script.name(), script.title(), CheckStatus.PASSED, secondsSince(start), clock.get(),
                    "passed", trim(run.evidence.toString()));
        } catch (StepFailed f) {
            Transcript t = transcripts.get(f.node);
            String tail = t != null ? t.tail(TAIL_LINES) : "";
            String hint = "";
            if (script.hint() != null && !f.fatal) { // a failon line is its own reason
                try {
                    hint = " — " + run.subst(script.hint(), false);
                } catch (IllegalArgumentException e) {
                    hint = " — " + script.hint();
                }
            }
            return new CheckResult(script.name(), script.title(), CheckStatus.FAILED, secondsSince(start), clock.get(),
                    f.getMessage() + hint, "last lines of the " + f.node + " console:\n" + tail);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CheckResult(script.name(), script.title(), CheckStatus.FAILED, secondsSince(start), clock.get(),
                    "the lab stopped while the check ran", null);
        } catch (IllegalArgumentException | IllegalStateException e) {
            return new CheckResult(script.name(), script.title(), CheckStatus.FAILED, secondsSince(start), clock.get(),
                    e.getMessage(), null);
        }
    }

    /** Values a check captured (named groups) stay available to later checks. */
    private Map<String, String> capturedOnly(Map<String, String> vars) {
        Map<String, String> out = new HashMap<>(vars);
        out.remove("out");
        out.remove("rc");
        return out;
    }

    public Map<String, String> variables() {
        return Map.copyOf(variables);
    }

    static List<String> groupNames(String regex) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>").matcher(regex);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static String lineAround(Transcript t, Transcript.Found f) {
        String s = t.slice(Math.max(0, f.start() - 200), f.end() + 200);
        int off = (int) (f.start() - Math.max(0, f.start() - 200));
        off = Math.min(off, s.length());
        int ls = s.lastIndexOf('\n', Math.max(0, off - 1)) + 1;
        int le = s.indexOf('\n', Math.min(s.length(), off + f.matched().length()));
        return s.substring(Math.min(ls, s.length()), le < 0 ? s.length() : le).strip();
    }

    private static String oneLine(String s) {
        String t = s.strip().replace("\n", " ⏎ ");
        return t.isEmpty() ? "(nothing)" : t.length() > 300 ? t.substring(0, 300) + "…" : t;
    }

    private static String trim(String s) {
        return s.length() > 4000 ? s.substring(0, 4000) + "\n…" : s;
    }

    private static double secondsSince(long start) {
        return Math.round((System.nanoTime() - start) / 1e7) / 100.0;
    }

    @Override
    public void close() {
        subscriptions.forEach(ConsoleBuffer.Subscription::close);
    }
}
