package dev.routerstudio.lab;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An expect-style check as written in qemu-runner/checks/NAME.check. Header lines first:
 * <pre>
 *   title   WAN up                  what the page shows
 *   node    router                  the console steps talk to (switch with "on NODE")
 *   timeout 90                      hard limit for the whole check, seconds
 *   requires dnsmasq                skip the check unless the lab sets this variable to true
 *   needs   wan-up                  fail at once (not run) unless an earlier check named wan-up… passed
 *   failon  authentication failed   regex: if the node's console prints it, fail at once
 *   hint    TEXT                    added to a failure's detail: what usually causes it (${vars} allowed)
 * </pre>
 * then steps:
 * <pre>
 *   on NODE                         later steps talk to NODE
 *   send TEXT                       type TEXT and Enter
 *   expect [within N] REGEX         wait for REGEX in the console (from where the last match ended)
 *   run [within N] COMMAND          type COMMAND wrapped in markers; wait for its output and exit code
 *   match REGEX / nomatch REGEX     test the last run's output; named groups become variables
 *   until N [every M] … end         repeat the steps inside until they all pass, for at most N s
 *   exits within N                  the node's QEMU ends by itself with exit code 0
 *   sleep N
 *   restart NODE                    power a node off and boot it again: same disks, links and console (the
 *                                   router boots the firmware the lab holds for it: after an upgrade, the new build)
 *   link NAME down|up|clear         cut a lab link (frames dropped both ways), bring it back, end its impairment
 *   link NAME [loss P] [delay MS] [jitter MS]   impair it: P % of frames lost, the rest MS later (± jitter)
 * </pre>
 * ${name} is replaced by a lab variable or a captured group, ${re:name} by the same quoted as a regex.
 * The N of "until" and "sleep" may be a sum of products of numbers and variables:
 * {@code until ${lcp.echo.interval}*${lcp.echo.failure}+15}. A check's link changes last for that
 * check only: when it ends (passed or not), each link it touched is set back as it was.
 */
public record CheckScript(String name, String title, String node, int timeoutSeconds, List<String> requires,
                          List<String> needs, List<String> failOn, String hint, List<Step> steps) {

    public sealed interface Step permits On, Send, Expect, Run, Match, Until, Exits, Sleep, Link, Restart {
        int line();
    }

    public record On(int line, String node) implements Step {
    }

    public record Send(int line, String text) implements Step {
    }

    public record Expect(int line, int withinSeconds, String regex) implements Step {
    }

    public record Run(int line, int withinSeconds, String command) implements Step {
    }

    public record Match(int line, boolean negate, String regex) implements Step {
    }

    /** secondsExpr: when N is not a plain number, the expression it is evaluated from at run time. */
    public record Until(int line, int seconds, int everySeconds, List<Step> body, String secondsExpr) implements Step {
        public Until(int line, int seconds, int everySeconds, List<Step> body) {
            this(line, seconds, everySeconds, body, null);
        }
    }

    public record Exits(int line, int withinSeconds) implements Step {
    }

    public record Sleep(int line, int seconds, String secondsExpr) implements Step {
        public Sleep(int line, int seconds) {
            this(line, seconds, null);
        }
    }

    /** A peer powered off and booted again; later expects on it see only the new boot. */
    public record Restart(int line, String node) implements Step {
    }

    /** A change to a lab link (dev.routerstudio.lab.link.LinkChange), checked when the script is read. */
    public record Link(int line, String link, dev.routerstudio.lab.link.LinkChange change) implements Step {
    }

    public static final int DEFAULT_RUN_SECONDS = 10;

    /** Whether this check types into that node's console or restarts it (its own node, an "on", a "restart"). */
    public boolean touches(String node) {
        return this.node.equals(node) || flat(steps).stream().anyMatch(s -> s instanceof On o && o.node().equals(node)
                || s instanceof Restart r && r.node().equals(node));
    }

    /** Whether a step's text reads the variable ${NAME}. */
    public boolean mentions(String variable) {
        String v = "${" + variable + "}";
        return flat(steps).stream().anyMatch(s -> s instanceof Run r && r.command().contains(v) || s instanceof Send t && t.text().contains(v)
                || s instanceof Match m && m.regex().contains(v) || s instanceof Expect e && e.regex().contains(v));
    }

    private static List<Step> flat(List<Step> steps) {
        List<Step> out = new ArrayList<>();
        for (Step s : steps) {
            out.add(s);
            if (s instanceof Until u) {
                out.addAll(flat(u.body()));
            }
        }
        return out;
    }

    /** One of the studio's own checks (qemu-runner/checks/NAME.check). */
    public static CheckScript builtIn(String name) {
        return load(LabResources.ROOT + "checks/" + name + ".check");
    }

    public static CheckScript load(String resource) {
        String name = resource.substring(resource.lastIndexOf('/') + 1).replaceAll("\\.check$", "");
        try (InputStream in = CheckScript.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("check script " + resource + " is not on the classpath");
            }
            return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read check script " + resource + ": " + e.getMessage(), e);
        }
    }

    public static CheckScript parse(String name, String text) {
        String title = name;
        String node = "router";
        int timeout = 120;
        List<String> requires = new ArrayList<>();
        List<String> needs = new ArrayList<>();
        List<String> failOn = new ArrayList<>();
        String hint = null;
        List<List<Step>> stack = new ArrayList<>();
        List<int[]> untilHeads = new ArrayList<>();
        List<String> untilExprs = new ArrayList<>();
        List<Step> top = new ArrayList<>();
        stack.add(top);
        boolean inSteps = false;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int ln = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int sp = line.indexOf(' ');
            String word = sp < 0 ? line : line.substring(0, sp);
            String rest = sp < 0 ? "" : line.substring(sp + 1).strip();
            List<Step> cur = stack.get(stack.size() - 1);
            switch (word) {
                case "title", "node", "timeout", "requires", "needs", "failon", "hint" -> {
                    if (inSteps) {
                        throw error(name, ln, "'" + word + "' is a header line and must come before the first step");
                    }
                    need(name, ln, word, rest);
                    switch (word) {
                        case "title" -> title = rest;
                        case "node" -> node = rest;
                        case "timeout" -> timeout = number(name, ln, rest);
                        case "requires" -> requires.add(rest);
                        case "needs" -> needs.add(rest);
                        case "hint" -> hint = rest;
                        default -> failOn.add(checkRegex(name, ln, rest));
                    }
                }
                case "on" -> {
                    inSteps = true;
                    need(name, ln, word, rest);
                    cur.add(new On(ln, rest));
                }
                case "send" -> {
                    inSteps = true;
                    cur.add(new Send(ln, rest));
                }
                case "expect", "run" -> {
                    inSteps = true;
                    int within = word.equals("run") ? DEFAULT_RUN_SECONDS : 0;
                    if (rest.startsWith("within ")) {
                        String[] f = rest.split(" ", 3);
                        if (f.length < 3) {
                            throw error(name, ln, "'" + word + " within N' needs something after N");
                        }
                        within = number(name, ln, f[1]);
                        rest = f[2].strip();
                    }
                    need(name, ln, word, rest);
                    cur.add(word.equals("run") ? new Run(ln, within, rest) : new Expect(ln, within, checkRegex(name, ln, rest)));
                }
                case "match", "nomatch" -> {
                    inSteps = true;
                    need(name, ln, word, rest);
                    cur.add(new Match(ln, word.equals("nomatch"), checkRegex(name, ln, rest)));
                }
                case "until" -> {
                    inSteps = true;
                    String[] f = rest.split("\\s+");
                    if (!(f.length == 1 || (f.length == 3 && f[1].equals("every")))) {
                        throw error(name, ln, "want 'until SECONDS [every SECONDS]'");
                    }
                    int every = f.length == 3 ? number(name, ln, f[2]) : 2;
                    String expr = f[0].matches("\\d+") ? null : secondsExpr(name, ln, f[0]);
                    untilHeads.add(new int[]{ln, expr == null ? number(name, ln, f[0]) : 0, every});
                    untilExprs.add(expr);
                    stack.add(new ArrayList<>());
                }
                case "end" -> {
                    if (untilHeads.isEmpty()) {
                        throw error(name, ln, "'end' without 'until'");
                    }
                    int[] h = untilHeads.remove(untilHeads.size() - 1);
                    String expr = untilExprs.remove(untilExprs.size() - 1);
                    List<Step> body = stack.remove(stack.size() - 1);
                    stack.get(stack.size() - 1).add(new Until(h[0], h[1], h[2], List.copyOf(body), expr));
                }
                case "exits" -> {
                    inSteps = true;
                    String[] f = rest.split("\\s+");
                    if (f.length != 2 || !f[0].equals("within")) {
                        throw error(name, ln, "want 'exits within SECONDS'");
                    }
                    cur.add(new Exits(ln, number(name, ln, f[1])));
                }
                case "sleep" -> {
                    inSteps = true;
                    need(name, ln, word, rest);
                    cur.add(rest.matches("\\d+") ? new Sleep(ln, number(name, ln, rest)) : new Sleep(ln, 0, secondsExpr(name, ln, rest)));
                }
                case "restart" -> {
                    inSteps = true;
                    if (!rest.matches("[a-z][a-z0-9-]*|\\$\\{[A-Za-z0-9_.-]+}")) {
                        throw error(name, ln, "want 'restart NODE' (router, isp or lan)");
                    }
                    cur.add(new Restart(ln, rest));
                }
                case "link" -> {
                    inSteps = true;
                    need(name, ln, word, rest);
                    String[] f = rest.split("\\s+", 2);
                    if (f.length < 2) {
                        throw error(name, ln, "want 'link NAME down|up|clear' or 'link NAME [loss P] [delay MS] [jitter MS]'");
                    }
                    try {
                        cur.add(new Link(ln, f[0], dev.routerstudio.lab.link.LinkChange.parseWords(f[1])));
                    } catch (IllegalArgumentException e) {
                        throw error(name, ln, e.getMessage());
                    }
                }
                default -> throw error(name, ln, "unknown word '" + word + "'");
            }
        }
        if (!untilHeads.isEmpty()) {
            throw error(name, untilHeads.get(untilHeads.size() - 1)[0], "'until' without 'end'");
        }
        if (top.isEmpty()) {
            throw error(name, lines.length, "the check has no steps");
        }
        return new CheckScript(name, title, node, timeout, List.copyOf(requires), List.copyOf(needs), List.copyOf(failOn),
                hint, List.copyOf(top));
    }

    private static void need(String name, int ln, String word, String rest) {
        if (rest.isEmpty()) {
            throw error(name, ln, "'" + word + "' needs an argument");
        }
    }

    private static int number(String name, int ln, String s) {
        try {
            int n = Integer.parseInt(s);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw error(name, ln, "'" + s + "' is not a number of seconds");
        }
    }

    private static final String TERM = "(\\d+|\\$\\{[A-Za-z0-9_.-]+})";
    private static final String PRODUCT = TERM + "(\\*" + TERM + ")*";

    /** Seconds as a sum of products of numbers and ${variables}, e.g. ${a}*${b}+15. */
    private static String secondsExpr(String name, int ln, String s) {
        if (!s.matches(PRODUCT + "(\\+" + PRODUCT + ")*")) {
            throw error(name, ln, "'" + s + "' is not a number of seconds (or a sum of products of numbers and ${variables})");
        }
        return s;
    }

    /** Evaluates a seconds expression whose variables are already replaced. */
    public static int evalSeconds(String substituted) {
        long sum = 0;
        for (String term : substituted.split("\\+")) {
            long product = 1;
            for (String factor : term.split("\\*")) {
                try {
                    product *= Long.parseLong(factor.strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + factor.strip() + "' in '" + substituted + "' is not a whole number of seconds");
                }
            }
            sum += product;
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, sum));
    }

    /** Regexes are checked with placeholders replaced by a harmless word, so typos show at load time. */
    private static String checkRegex(String name, int ln, String regex) {
        try {
            java.util.regex.Pattern.compile(regex.replaceAll("\\$\\{[^}]+}", "x"));
        } catch (java.util.regex.PatternSyntaxException e) {
            throw error(name, ln, "bad regex: " + e.getDescription());
        }
        return regex;
    }

    private static IllegalArgumentException error(String name, int ln, String what) {
        return new IllegalArgumentException("check " + name + ", line " + ln + ": " + what);
    }
}
