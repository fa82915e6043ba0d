package dev.weir.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeTest {

    @Test
    void addressesAreSortedAndDistinctV4First() {
        Node n = new Node("n1", Map.of("role", "infra"), List.of(IpAddress.parse("fd00::1"),
                IpAddress.parse("192.168.0.9"), IpAddress.parse("10.0.0.1"), IpAddress.parse("192.168.0.9")));
        assertThat(n.addresses()).extracting(Object::toString).containsExactly("10.0.0.1", "192.168.0.9", "fd00::1");
        assertThat(n.addresses(IpFamily.V6)).extracting(Object::toString).containsExactly("fd00::1");
        assertThat(n.address(IpFamily.V4)).contains(IpAddress.parse("10.0.0.1"));
    }

    @Test
    void snapshotsWithoutANodeListHaveNoNodes() {
        assertThat(new ClusterSnapshot(List.of(), List.of(), List.of()).nodes()).isEmpty();
        assertThat(new ClusterSnapshot(List.of(), List.of(), List.of(), List.of()).nodes()).isEmpty();
        ClusterSnapshot s = new ClusterSnapshot(List.of(), List.of(), List.of(), List.of(),
                List.of(new Node("n2", Map.of(), List.of()), new Node("n1", Map.of(), List.of())));
        assertThat(s.nodes()).extracting(Node::name).containsExactly("n1", "n2");
    }
}
