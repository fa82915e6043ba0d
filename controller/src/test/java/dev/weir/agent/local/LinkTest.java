package dev.weir.agent.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LinkTest {

    /** {@code ip -o -d link show} (iproute2 6.1): a Calico veth, flannel's bridge and one of its ports. */
    private static final String OUTPUT = String.join("\n",
            "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000"
                    + "\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00 promiscuity 0  allmulti 0 minmtu 0 "
                    + "maxmtu 0 addrgenmode eui64 numtxqueues 1 numrxqueues 1 ",
            "2: ens3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP mode DEFAULT group default "
                    + "qlen 1000\\    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff promiscuity 0 parentbus pci "
                    + "parentdev 0000:00:03.0 \\    altname enp0s3",
            "3: cali1234abcd@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT "
                    + "group default qlen 1000\\    link/ether ee:ee:ee:ee:ee:ee brd ff:ff:ff:ff:ff:ff link-netns "
                    + "cni-1b2c promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \\    veth addrgenmode eui64 ",
            "4: cni0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP mode DEFAULT group default "
                    + "qlen 1000\\    link/ether de:dc:48:cb:3d:2c brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 "
                    + "minmtu 68 maxmtu 65535 \\    bridge forward_delay 1500 hello_time 200 stp_state 0 "
                    + "nf_call_iptables 0 addrgenmode eui64 ",
            "5: veth9f3a2b1c@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master cni0 state UP mode "
                    + "DEFAULT group default qlen 1000\\    link/ether 5e:1f:22:33:44:55 brd ff:ff:ff:ff:ff:ff "
                    + "link-netns cni-9a8b promiscuity 1  allmulti 1 minmtu 68 maxmtu 65535 \\    veth \\    "
                    + "bridge_slave state forwarding priority 32 cost 2 hairpin on guard off addrgenmode eui64 ",
            "6: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN mode DEFAULT group "
                    + "default \\    link/ether 6a:0b:1c:2d:3e:4f brd ff:ff:ff:ff:ff:ff promiscuity 0 \\    vxlan id 1 "
                    + "local 192.168.1.20 dev ens3 srcport 0 0 dstport 8472 nolearning ttl auto ageing 300 ");

    @Test
    void readsNamesMastersAndKinds() {
        Map<String, Link> links = Link.parseAll(OUTPUT);

        assertThat(links).containsOnlyKeys("lo", "ens3", "cali1234abcd", "cni0", "veth9f3a2b1c", "flannel.1");
        assertThat(links.get("lo")).isEqualTo(new Link("lo", Optional.empty(), Optional.empty()));
        assertThat(links.get("ens3")).isEqualTo(new Link("ens3", Optional.empty(), Optional.empty()));
        assertThat(links.get("cali1234abcd"))
                .isEqualTo(new Link("cali1234abcd", Optional.empty(), Optional.of("veth")));
        assertThat(links.get("cni0").isBridge()).isTrue();
        assertThat(links.get("veth9f3a2b1c")).isEqualTo(
                new Link("veth9f3a2b1c", Optional.of("cni0"), Optional.of("veth")));
        assertThat(links.get("veth9f3a2b1c").isBridge()).isFalse();
        assertThat(links.get("flannel.1").kind()).contains("vxlan");
    }
}
