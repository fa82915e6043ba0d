package dev.weir.agent.local;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A network device of the node as {@code ip -o -d link show} prints it: its name, the bridge (or other master) it is
 * enslaved to, and its kind ({@code bridge}, {@code veth}, ...; empty for a physical device).
 */
public record Link(String name, Optional<String> master, Optional<String> kind) {

    /** {@code 7: veth1a2b3c4d@if3: <BROADCAST,...>}: the index, the name and, after {@code @}, the peer we drop. */
    private static final Pattern HEAD = Pattern.compile("^\\d+:\\s+([^\\s:@]+)(?:@[^\\s:]*)?:\\s");
    private static final Pattern MASTER = Pattern.compile("\\smaster\\s+(\\S+)");

    public Link {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(master, "master");
        Objects.requireNonNull(kind, "kind");
    }

    /** A Linux bridge (flannel's {@code cni0}, the bridge plugin's), whose ports iptables sees through physdev. */
    public boolean isBridge() {
        return kind.filter("bridge"::equals).isPresent();
    }

    /**
     * The devices in {@code ip -o -d link show} output, by name. With {@code -o} each device is one line whose
     * original lines are joined by a backslash: the first holds the name and {@code master}, the second the address,
     * and the detail lines that follow start with the device's kind ({@code bridge ...}, {@code veth}) and then, for
     * an enslaved device, its role ({@code bridge_slave ...}); {@code altname} lines may follow.
     */
    public static Map<String, Link> parseAll(String ipLinkOutput) {
        Map<String, Link> out = new LinkedHashMap<>();
        for (String line : ipLinkOutput.split("\n")) {
            String[] parts = line.split("\\\\\\s+");
            Matcher head = HEAD.matcher(parts[0]);
            if (!head.find()) {
                continue;
            }
            Matcher master = MASTER.matcher(parts[0]);
            Optional<String> masterName = master.find() ? Optional.of(master.group(1)) : Optional.empty();
            out.put(head.group(1), new Link(head.group(1), masterName, kind(parts)));
        }
        return out;
    }

    private static Optional<String> kind(String[] parts) {
        for (int i = 2; i < parts.length; i++) {
            String first = parts[i].strip().split("\\s+", 2)[0];
            if (first.isEmpty() || first.endsWith("_slave") || first.equals("altname")) {
                continue;
            }
            return Optional.of(first);
        }
        return Optional.empty();
    }
}
