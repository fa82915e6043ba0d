package dev.weir.agent.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.IpAddress;
import org.junit.jupiter.api.Test;

class HostRouteTest {

    @Test
    void readsHostRoutesOfBothFamiliesAndNothingElse() {
        String v4 = """
                default via 192.168.1.1 dev eth0 proto dhcp src 192.168.1.20 metric 100\s
                10.244.1.5 dev cali1234abcd scope link\s
                10.244.1.6/32 dev veth77aa proto static scope host\s
                10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1 linkdown\s
                10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink\s
                10.244.3.9 via 192.168.1.30 dev eth0\s
                blackhole 10.244.1.0/26 proto bird\s
                unreachable 10.9.9.9\s
                10.244.4.4 nhid 12 proto bgp\s
                """;
        String v6 = """
                2001:db8::5 dev cali1234abcd metric 1024 linkdown pref medium
                2001:db8:0:0:0:0:0:6/128 dev cali99 metric 1024 pref medium
                fe80::/64 dev cni0 proto kernel metric 256 linkdown pref medium
                """;

        assertThat(HostRoute.parseAll(v4)).containsExactly(
                new HostRoute(IpAddress.parse("10.244.1.5"), "cali1234abcd"),
                new HostRoute(IpAddress.parse("10.244.1.6"), "veth77aa"));
        assertThat(HostRoute.parseAll(v6)).containsExactly(
                new HostRoute(IpAddress.parse("2001:db8::5"), "cali1234abcd"),
                new HostRoute(IpAddress.parse("2001:db8::6"), "cali99"));
        assertThat(HostRoute.parseAll("")).isEmpty();
    }
}
