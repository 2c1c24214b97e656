package dev.routerstudio.lab.link;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The links of one lab, each relayed by the studio (see {@link LinkRelay}). Opened before any
 * QEMU starts, so every guest finds its socket; closed when the lab stops or fails, after which
 * the captures and summaries stay readable for as long as the lab (or LabService's list of
 * recently stopped labs) keeps this object.
 */
public final class LabLinks implements AutoCloseable {

    /** A link between two nodes; its sockets are DIR/NAME-NODE.sock. */
    public record Spec(String name, String nodeA, String nodeB) {
    }

    public static final int SUMMARY_LINES = 2000;

    private final Map<String, LinkRelay> links = new LinkedHashMap<>();

    private LabLinks() {
    }

    public static LabLinks open(Path dir, List<Spec> specs, long captureBytes, Consumer<String> log) throws IOException {
        LabLinks l = new LabLinks();
        Random random = new Random();
        try {
            for (Spec s : specs) {
                LinkRelay r = new LinkRelay(s.name(), s.nodeA(), dir.resolve(s.name() + "-" + s.nodeA() + ".sock"),
                        s.nodeB(), dir.resolve(s.name() + "-" + s.nodeB() + ".sock"), captureBytes, SUMMARY_LINES, random, log);
                l.links.put(s.name(), r);
                r.open();
            }
        } catch (IOException | RuntimeException e) {
            l.close();
            throw e;
        }
        return l;
    }

    /** The link, or IllegalArgumentException naming the links there are. */
    public LinkRelay link(String name) {
        LinkRelay r = links.get(name);
        if (r == null) {
            throw new IllegalArgumentException("this lab has no link '" + name + "' (links: " + String.join(", ", links.keySet()) + ")");
        }
        return r;
    }

    public List<LinkStatus> status() {
        List<LinkStatus> out = new ArrayList<>();
        for (LinkRelay r : links.values()) {
            out.add(r.status());
        }
        return out;
    }

    public List<String> names() {
        return List.copyOf(links.keySet());
    }

    @Override
    public void close() {
        for (LinkRelay r : links.values()) {
            r.close();
        }
    }
}
