package dev.routerstudio.build;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Geometry for the pictures on the build page, computed here so the template only draws: the
 * service graph laid out in columns by dependency depth, and bars for the size breakdown.
 */
public final class BuildPictures {

    static final int NODE_W = 136;
    static final int NODE_H = 30;
    static final int COL_GAP = 56;
    static final int ROW_GAP = 14;
    static final int PAD = 10;

    public record PlacedNode(String name, String type, int x, int y, int w, int h) {
    }

    /** An edge from a dependency (left) to the service that needs it (right). */
    public record PlacedEdge(String from, String to, int x1, int y1, int x2, int y2) {
    }

    public record Graph(List<PlacedNode> nodes, List<PlacedEdge> edges, int width, int height) {
    }

    public record Bar(String label, long bytes, String size, int width, double percent) {
    }

    private BuildPictures() {
    }

    /** Columns by depth: a service sits one column right of its deepest dependency. */
    public static Graph graph(BuildReport report) {
        Map<String, List<String>> deps = new HashMap<>();
        report.serviceNodes().forEach(n -> deps.put(n.name(), new ArrayList<>()));
        report.serviceEdges().forEach(e -> deps.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e.to()));
        Map<String, Integer> depth = new HashMap<>();
        for (String name : report.bootOrder().isEmpty() ? deps.keySet().stream().sorted().toList() : report.bootOrder()) {
            depthOf(name, deps, depth, 0);
        }
        deps.keySet().forEach(n -> depthOf(n, deps, depth, 0));
        Map<Integer, Integer> rows = new HashMap<>();
        Map<String, PlacedNode> placed = new HashMap<>();
        List<PlacedNode> nodes = new ArrayList<>();
        List<String> order = new ArrayList<>(report.bootOrder());
        report.serviceNodes().stream().map(BuildReport.Node::name).filter(n -> !order.contains(n)).forEach(order::add);
        Map<String, String> types = new HashMap<>();
        report.serviceNodes().forEach(n -> types.put(n.name(), n.type()));
        int maxCol = 0;
        int maxRow = 0;
        for (String name : order) {
            int col = depth.getOrDefault(name, 0);
            int row = rows.merge(col, 1, Integer::sum) - 1;
            maxCol = Math.max(maxCol, col);
            maxRow = Math.max(maxRow, row);
            PlacedNode n = new PlacedNode(name, types.getOrDefault(name, "oneshot"),
                    PAD + col * (NODE_W + COL_GAP), PAD + row * (NODE_H + ROW_GAP), NODE_W, NODE_H);
            placed.put(name, n);
            nodes.add(n);
        }
        List<PlacedEdge> edges = new ArrayList<>();
        for (BuildReport.Edge e : report.serviceEdges()) {
            PlacedNode needs = placed.get(e.from());
            PlacedNode dep = placed.get(e.to());
            if (needs != null && dep != null) {
                edges.add(new PlacedEdge(e.to(), e.from(), dep.x() + NODE_W, dep.y() + NODE_H / 2, needs.x(), needs.y() + NODE_H / 2));
            }
        }
        return new Graph(nodes, edges, 2 * PAD + (maxCol + 1) * NODE_W + maxCol * COL_GAP,
                2 * PAD + (maxRow + 1) * NODE_H + maxRow * ROW_GAP);
    }

    private static int depthOf(String name, Map<String, List<String>> deps, Map<String, Integer> memo, int guard) {
        Integer known = memo.get(name);
        if (known != null) {
            return known;
        }
        if (guard > deps.size()) {
            return 0; // a cycle would have failed the build; never loop here
        }
        int d = 0;
        for (String dep : deps.getOrDefault(name, List.of())) {
            d = Math.max(d, depthOf(dep, deps, memo, guard + 1) + 1);
        }
        memo.put(name, d);
        return d;
    }

    /** Bars scaled to the largest entry; width in SVG units out of maxWidth. */
    public static List<Bar> bars(List<BuildReport.Size> sizes, int limit, int maxWidth) {
        long total = sizes.stream().mapToLong(BuildReport.Size::bytes).sum();
        long max = sizes.stream().mapToLong(BuildReport.Size::bytes).max().orElse(1);
        return sizes.stream().sorted((a, b) -> Long.compare(b.bytes(), a.bytes())).limit(limit)
                .map(s -> new Bar(s.name(), s.bytes(), human(s.bytes()), (int) Math.max(2, s.bytes() * maxWidth / Math.max(1, max)),
                        total == 0 ? 0 : Math.round(s.bytes() * 1000.0 / total) / 10.0))
                .toList();
    }

    public static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format("%.1f KiB", bytes / 1024.0);
        }
        return String.format("%.2f MiB", bytes / (1024.0 * 1024));
    }
}
