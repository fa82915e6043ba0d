package dev.weir.agent.local;

import dev.weir.iptables.apply.CommandRunner;
import dev.weir.model.IpAddress;
import dev.weir.model.ObjectKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interface discovery on a node: the main routing table of both families ({@code ip -o route show},
 * {@code ip -o -6 route show}) and the devices ({@code ip -o -d link show}) through the agent's {@link CommandRunner}
 * (so they are the network namespace's the agent programs: the host's, or a lab or test namespace), plus the CNI cache
 * directory; {@link InterfaceMatcher} decides. A scan is two {@code ip route} runs and one directory listing; a
 * discovery adds one {@code ip link} run and the cache files that changed since the last one.
 */
public final class HostInterfaceDiscovery implements InterfaceDiscovery {

    private static final Logger LOG = LoggerFactory.getLogger(HostInterfaceDiscovery.class);

    private final CommandRunner runner;
    private final CniResultCache cache;

    public HostInterfaceDiscovery(CommandRunner runner, CniResultCache cache) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.cache = Objects.requireNonNull(cache, "cache");
    }

    @Override
    public Fingerprint scan() throws IOException {
        return Fingerprint.of(routes(), cache.listing());
    }

    @Override
    public Discovery discover(Map<ObjectKey, List<IpAddress>> pods) throws IOException {
        List<HostRoute> routes = routes();
        List<CniResultCache.FileEntry> listing = cache.listing();
        Map<String, Link> links = Link.parseAll(runner.run(List.of("ip", "-o", "-d", "link", "show")).orThrow()
                .stdout());
        List<CniAttachment> attachments = cache.read();
        return new Discovery(InterfaceMatcher.match(pods, routes, links, attachments), Fingerprint.of(routes, listing));
    }

    private List<HostRoute> routes() {
        List<HostRoute> out = new ArrayList<>(
                HostRoute.parseAll(runner.run(List.of("ip", "-o", "route", "show")).orThrow().stdout()));
        CommandRunner.Result v6 = runner.run(List.of("ip", "-o", "-6", "route", "show"));
        if (v6.ok()) {
            out.addAll(HostRoute.parseAll(v6.stdout()));
        } else {
            // a kernel booted with ipv6.disable=1 has no IPv6 table; no pod has an IPv6 route then
            LOG.debug("no IPv6 routes: {}", v6.stderr().strip());
        }
        return out;
    }

    @Override
    public String toString() {
        return "pod interfaces from ip route and ip link (" + runner + ") and the CNI cache " + cache.dir();
    }
}
