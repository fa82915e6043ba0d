package dev.weir.agent;

import dev.weir.iptables.apply.CommandRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A node's routes and devices as the agent's {@code ip} commands see them, changed by the test: a {@link CommandRunner}
 * that answers {@code ip -o route show}, {@code ip -o -6 route show} and {@code ip -o -d link show} from what the test
 * set, in iproute2's own format, and records every command. It can be told to fail like a node without {@code ip}.
 */
final class TestingNodeNetwork implements CommandRunner {

    private final Map<String, String> routes = new TreeMap<>();
    private final Map<String, String> links = new TreeMap<>();
    private final List<List<String>> commands = new ArrayList<>();
    private boolean broken;

    TestingNodeNetwork() {
        links.put("lo", "<LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default\\    "
                + "link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00 promiscuity 0 ");
        links.put("eth0", "<BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP mode DEFAULT group "
                + "default qlen 1000\\    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff promiscuity 0 ");
    }

    /** A veth whose peer is in a pod (Calico's {@code cali…}, the ptp plugin's, or a bridge port with a master). */
    synchronized TestingNodeNetwork veth(String name, String master) {
        links.put(name, "<BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue "
                + (master == null ? "" : "master " + master + " ") + "state UP mode DEFAULT group default qlen 1000"
                + "\\    link/ether 5e:1f:22:33:44:55 brd ff:ff:ff:ff:ff:ff link-netns cni-1 promiscuity 0 \\    veth "
                + (master == null ? "" : "\\    bridge_slave state forwarding priority 32 cost 2 "));
        return this;
    }

    synchronized TestingNodeNetwork bridge(String name) {
        links.put(name, "<BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP mode DEFAULT group "
                + "default qlen 1000\\    link/ether de:dc:48:cb:3d:2c brd ff:ff:ff:ff:ff:ff promiscuity 0 "
                + "\\    bridge forward_delay 1500 stp_state 0 ");
        return this;
    }

    /** A host route to {@code address} out of {@code device}, as Calico writes it. */
    synchronized TestingNodeNetwork route(String address, String device) {
        routes.put(address, address + " dev " + device + " scope link ");
        return this;
    }

    synchronized TestingNodeNetwork remove(String addressOrDevice) {
        routes.remove(addressOrDevice);
        links.remove(addressOrDevice);
        return this;
    }

    synchronized void broken(boolean b) {
        broken = b;
    }

    synchronized List<List<String>> commands() {
        return List.copyOf(commands);
    }

    @Override
    public synchronized Result run(List<String> argv, String stdin) {
        commands.add(List.copyOf(argv));
        if (broken) {
            throw new dev.weir.iptables.apply.ApplyException(argv, -1, "", "cannot run ip: No such file or directory");
        }
        String out = switch (String.join(" ", argv)) {
            case "ip -o route show" -> text(false);
            case "ip -o -6 route show" -> text(true);
            case "ip -o -d link show" -> {
                StringBuilder s = new StringBuilder();
                int index = 1;
                for (Map.Entry<String, String> l : links.entrySet()) {
                    s.append(index++).append(": ").append(l.getKey()).append(l.getKey().startsWith("veth")
                            || l.getKey().startsWith("cali") ? "@if2" : "").append(": ").append(l.getValue())
                            .append('\n');
                }
                yield s.toString();
            }
            default -> null;
        };
        return out == null ? new Result(argv, 127, "", "unexpected command", Duration.ZERO)
                : new Result(argv, 0, out, "", Duration.ofMillis(1));
    }

    private String text(boolean v6) {
        StringBuilder s = new StringBuilder();
        routes.forEach((address, line) -> {
            if (address.contains(":") == v6) {
                s.append(line).append('\n');
            }
        });
        return s.toString();
    }
}
