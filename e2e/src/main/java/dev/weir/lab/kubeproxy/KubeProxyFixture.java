package dev.weir.lab.kubeproxy;

import dev.weir.k8s.ModelTranslator;
import dev.weir.k8s.ServiceTranslator;
import dev.weir.lab.sys.CommandRunner;
import dev.weir.lab.topology.LabPlan;
import dev.weir.model.Endpoint;
import dev.weir.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lab's kube-proxy: keeps every node's {@link KubeProxyRules} in step with the lab API server's Services and Pods.
 * Every {@value #INTERVAL_MILLIS} ms it lists both (the mock API server is in this JVM: a list costs well under a
 * millisecond), gives Services without one a cluster IP and node ports ({@link ServiceAllocator}, written back), and
 * rewrites a node's KUBE chains whenever its rules changed, in one {@code iptables-restore --noflush} per node (the
 * chains it declares are flushed and refilled atomically; chains it wrote before and no longer needs are deleted).
 * Nothing outside the KUBE chains is touched but kube-proxy's jumps, added with the first Service.
 */
public final class KubeProxyFixture implements AutoCloseable {

    static final long INTERVAL_MILLIS = 200;

    private final LabPlan plan;
    private final KubernetesClient client;
    private final CommandRunner runner;
    private final Map<String, KubeProxyRules.NodeRules> applied = new HashMap<>();
    private volatile Thread thread;
    private boolean hooked;

    public KubeProxyFixture(LabPlan plan, KubernetesClient client, CommandRunner runner) {
        this.plan = plan;
        this.client = client;
        this.runner = runner;
    }

    /**
     * kube-proxy's jumps from the built-in chains of every node ({@link KubeProxyRules#hooks}), once: with the first
     * Service. A lab without Services carries no kube-proxy rule at all.
     */
    private void installHooks() {
        for (LabPlan.NodePlan n : plan.nodes()) {
            runner.check(restore(n.netns()), KubeProxyRules.hooks());
        }
        hooked = true;
    }

    /** One pass: allocate, render, apply what changed. Returns the number of nodes rewritten. */
    public synchronized int sync() {
        List<io.fabric8.kubernetes.api.model.Service> listed = client.services().inAnyNamespace().list().getItems();
        for (io.fabric8.kubernetes.api.model.Service s : ServiceAllocator.allocate(listed)) {
            client.services().inNamespace(s.getMetadata().getNamespace()).resource(s).update();
        }
        List<Service> services = new ArrayList<>();
        listed.forEach(s -> ServiceTranslator.translate(s).service().ifPresent(services::add));
        if (!hooked) {
            if (listed.isEmpty()) {
                return 0;
            }
            installHooks();
        }
        List<Endpoint> pods = new ArrayList<>();
        client.pods().inAnyNamespace().list().getItems()
                .forEach(p -> ModelTranslator.pod(p).value().ifPresent(pods::add));
        int rewritten = 0;
        for (LabPlan.NodePlan n : plan.nodes()) {
            KubeProxyRules.NodeRules rules = KubeProxyRules.render(n.name(), services, pods);
            KubeProxyRules.NodeRules before = applied.get(n.name());
            if (rules.equals(before)) {
                continue;
            }
            runner.check(restore(n.netns()), restoreText(before, rules));
            applied.put(n.name(), rules);
            rewritten++;
        }
        return rewritten;
    }

    /** Syncs every {@value #INTERVAL_MILLIS} ms on a daemon thread until closed; a failed pass is logged and retried. */
    public void start() {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    int n = sync();
                    if (n > 0) {
                        log("kube-proxy rules rewritten on " + n + " node" + (n == 1 ? "" : "s"));
                    }
                    Thread.sleep(INTERVAL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    log("kube-proxy sync failed: " + e.getMessage());
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }, "lab-kube-proxy");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /**
     * The transaction that turns {@code before} into {@code after}: each table declares every chain either has (a
     * declared chain is flushed), writes the new rules, and deletes the chains only {@code before} had.
     */
    static String restoreText(KubeProxyRules.NodeRules before, KubeProxyRules.NodeRules after) {
        StringBuilder sb = new StringBuilder();
        table(sb, "nat", before == null ? null : before.nat(), after.nat());
        table(sb, "filter", before == null ? null : before.filter(), after.filter());
        return sb.toString();
    }

    private static void table(StringBuilder sb, String name, KubeProxyRules.Table before, KubeProxyRules.Table after) {
        Set<String> all = new LinkedHashSet<>(after.chains());
        Set<String> stale = new LinkedHashSet<>();
        if (before != null) {
            before.chains().stream().filter(c -> !after.chains().contains(c)).forEach(stale::add);
            all.addAll(stale);
        }
        sb.append('*').append(name).append('\n');
        all.forEach(c -> sb.append(':').append(c).append(" - [0:0]\n"));
        after.rules().forEach(r -> sb.append(r).append('\n'));
        stale.forEach(c -> sb.append("-X ").append(c).append('\n'));
        sb.append("COMMIT\n");
    }

    private static List<String> restore(String netns) {
        return List.of("ip", "netns", "exec", netns, "iptables-restore", "-w", "--noflush");
    }

    private static void log(String message) {
        System.out.println(Instant.now() + " lab: " + message);
    }

    @Override
    public void close() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }
}
