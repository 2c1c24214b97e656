package dev.routerstudio.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The services and their dependencies, compiled at build time into a boot plan: a dependency
 * order in which every service comes after everything it needs. A missing dependency or a
 * cycle is a build error that names the services involved.
 */
public final class ServiceGraph {

    public record Node(String name, String type) {
    }

    public record Edge(String from, String to) {
    }

    private final Map<String, Node> nodes = new TreeMap<>();
    private final Map<String, List<String>> dependencies = new TreeMap<>();

    public void add(String name, String type, List<String> deps) {
        if (!List.of("oneshot", "longrun", "bundle").contains(type)) {
            throw new PipelineException("service '" + name + "' has type '" + type + "'; want oneshot, longrun or bundle");
        }
        nodes.put(name, new Node(name, type));
        dependencies.put(name, List.copyOf(deps));
    }

    public List<Node> nodes() {
        return List.copyOf(nodes.values());
    }

    /** Edges point from a service to a service it depends on. */
    public List<Edge> edges() {
        List<Edge> out = new ArrayList<>();
        dependencies.forEach((name, deps) -> deps.forEach(d -> out.add(new Edge(name, d))));
        return out;
    }

    public List<String> dependenciesOf(String name) {
        return dependencies.getOrDefault(name, List.of());
    }

    public String typeOf(String name) {
        return nodes.get(name).type();
    }

    /** Dependency order (dependencies first; ties by name), or a PipelineException naming the problem. */
    public List<String> bootOrder() {
        for (Map.Entry<String, List<String>> e : dependencies.entrySet()) {
            for (String d : e.getValue()) {
                if (!nodes.containsKey(d)) {
                    throw new PipelineException("service '" + e.getKey() + "' depends on '" + d + "', which is not in the service set");
                }
            }
        }
        List<String> order = new ArrayList<>();
        Map<String, Integer> state = new LinkedHashMap<>(); // 1 visiting, 2 done
        for (String n : nodes.keySet()) {
            visit(n, state, new ArrayList<>(), order);
        }
        return order;
    }

    private void visit(String n, Map<String, Integer> state, List<String> stack, List<String> order) {
        Integer s = state.get(n);
        if (s != null && s == 2) {
            return;
        }
        if (s != null && s == 1) {
            List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(n), stack.size()));
            cycle.add(n);
            throw new PipelineException("service dependency cycle: " + String.join(" -> ", cycle));
        }
        state.put(n, 1);
        stack.add(n);
        for (String d : dependencies.get(n).stream().sorted().toList()) {
            visit(d, state, stack, order);
        }
        stack.remove(stack.size() - 1);
        state.put(n, 2);
        order.add(n);
    }

    /** Everything that depends on name, directly or not, in boot order. */
    public List<String> dependentsOf(String name) {
        Set<String> found = new LinkedHashSet<>();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map.Entry<String, List<String>> e : dependencies.entrySet()) {
                if (!found.contains(e.getKey()) && (e.getValue().contains(name) || e.getValue().stream().anyMatch(found::contains))) {
                    found.add(e.getKey());
                    grew = true;
                }
            }
        }
        List<String> out = new ArrayList<>();
        for (String n : bootOrder()) {
            if (found.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }
}
