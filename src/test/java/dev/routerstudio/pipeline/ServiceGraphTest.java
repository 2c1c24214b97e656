package dev.routerstudio.pipeline;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceGraphTest {

    @Test
    void ordersDependenciesFirst() {
        ServiceGraph g = new ServiceGraph();
        g.add("defaultroute", "oneshot", List.of("wan.link.pppoe"));
        g.add("wan.link.pppoe", "longrun", List.of("wan.link"));
        g.add("wan.link", "oneshot", List.of("lo.link"));
        g.add("lo.link", "oneshot", List.of());
        g.add("nat", "oneshot", List.of("wan.link.pppoe"));
        List<String> order = g.bootOrder();
        assertThat(order).containsExactly("lo.link", "wan.link", "wan.link.pppoe", "defaultroute", "nat");
        assertThat(order.indexOf("lo.link")).isLessThan(order.indexOf("wan.link"));
        assertThat(order.indexOf("wan.link")).isLessThan(order.indexOf("wan.link.pppoe"));
        assertThat(order.indexOf("wan.link.pppoe")).isLessThan(order.indexOf("defaultroute"));
        assertThat(order.indexOf("wan.link.pppoe")).isLessThan(order.indexOf("nat"));
        assertThat(g.dependentsOf("wan.link")).containsExactly("wan.link.pppoe", "defaultroute", "nat");
    }

    @Test
    void namesTheCycle() {
        ServiceGraph g = new ServiceGraph();
        g.add("a", "oneshot", List.of("b"));
        g.add("b", "oneshot", List.of("c"));
        g.add("c", "longrun", List.of("a"));
        g.add("d", "oneshot", List.of());
        assertThatThrownBy(g::bootOrder).isInstanceOf(PipelineException.class)
                .hasMessage("service dependency cycle: a -> b -> c -> a");
    }

    @Test
    void namesAMissingDependency() {
        ServiceGraph g = new ServiceGraph();
        g.add("nat", "oneshot", List.of("wan.dhcpc"));
        assertThatThrownBy(g::bootOrder)
                .hasMessage("service 'nat' depends on 'wan.dhcpc', which is not in the service set");
    }

    @Test
    void rejectsAnUnknownType() {
        assertThatThrownBy(() -> new ServiceGraph().add("x", "daemon", List.of()))
                .hasMessageContaining("'x'").hasMessageContaining("daemon");
    }

    @Test
    void edgesPointToDependencies() {
        ServiceGraph g = new ServiceGraph();
        g.add("lan.addr", "oneshot", List.of("lan.link"));
        g.add("lan.link", "oneshot", List.of());
        assertThat(g.edges()).containsExactly(new ServiceGraph.Edge("lan.addr", "lan.link"));
    }
}
