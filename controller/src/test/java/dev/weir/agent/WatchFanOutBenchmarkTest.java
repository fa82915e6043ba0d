package dev.weir.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The fan-out of one pod's life to the agents (docs/scaling.md): {@code weir.bench.agents} (50) in-process agents'
 * informers ({@link ClusterInformers}: Pods, Namespaces, NetworkPolicies, Nodes, as every agent watches them) against
 * the fabric8 mock API server, and {@code weir.bench.pods} (20) realistic pods ({@link RealisticObjects}) taken through
 * the writes a scheduler and a kubelet make: create (no node, no status), bind (nodeName), status Pending with
 * PodScheduled, status Running with its address and Ready, graceful deletion (deletionTimestamp), delete. Counted per
 * agent: watch events and the bytes of the objects they carry (the JSON the API server writes to each watcher,
 * without the event envelope); the handler's own work (the agent's translation) timed; the time from each write until
 * the last agent has its event. Opt-in: {@code -Dweir.bench=true}.
 */
@EnabledIfSystemProperty(named = "weir.bench", matches = "true")
class WatchFanOutBenchmarkTest {

    private static final int AGENTS = Integer.getInteger("weir.bench.agents", 50);
    private static final int PODS = Integer.getInteger("weir.bench.pods", 20);
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Test
    void onePodsLifeReachesEveryAgent() throws Exception {
        try (MockCluster cluster = new MockCluster(); KubernetesClient kube = cluster.newClient()) {
            ChangeTranslator translator = new ChangeTranslator(ObjectTranslator.standard());
            List<Counting> agents = new ArrayList<>();
            List<KubernetesClient> clients = new ArrayList<>();
            List<ClusterInformers> informers = new ArrayList<>();
            for (int a = 0; a < AGENTS; a++) {
                Counting c = new Counting(translator);
                KubernetesClient client = cluster.newClient();
                ClusterInformers i = new ClusterInformers(client, c, new SyncTrigger(),
                        InformerWatchdog.DEFAULT_STALL_LIMIT);
                i.start();
                i.clusterPoliciesServed(false);
                agents.add(c);
                clients.add(client);
                informers.add(i);
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!informers.stream().allMatch(i -> i.synced() && i.watching())) {
                assertThat(System.nanoTime()).as("informers synced and watching").isLessThan(deadline);
                Thread.sleep(50);
            }
            kube.resource(RealisticObjects.namespaces(1).get(0)).create();
            awaitAll(agents, 1);
            agents.forEach(Counting::reset);

            long cpu0 = cpu();
            List<Long> fanOutMicros = new ArrayList<>();
            long writes = 0;
            for (int p = 0; p < PODS; p++) {
                Pod full = RealisticObjects.pod(p, 1, 4);
                String ns = full.getMetadata().getNamespace();
                String name = full.getMetadata().getName();
                Pod created = RealisticObjects.pod(p, 1, 4);
                created.getSpec().setNodeName(null);
                created.setStatus(null);
                created.getMetadata().setResourceVersion(null);
                List<Runnable> life = List.of(
                        () -> kube.resource(created).create(),
                        () -> kube.pods().inNamespace(ns).withName(name).edit(x -> {
                            x.getSpec().setNodeName(full.getSpec().getNodeName());
                            return x;
                        }),
                        () -> kube.pods().inNamespace(ns).withName(name).edit(x -> {
                            PodStatus s = new PodStatus();
                            s.setPhase("Pending");
                            s.setConditions(List.of(new PodCondition(null, null, null, null, null, "True",
                                    "PodScheduled")));
                            x.setStatus(s);
                            return x;
                        }),
                        () -> kube.pods().inNamespace(ns).withName(name).edit(x -> {
                            x.setStatus(full.getStatus());
                            return x;
                        }),
                        () -> kube.pods().inNamespace(ns).withName(name).edit(x -> {
                            x.getMetadata().setDeletionTimestamp("2026-11-02T09:00:00Z");
                            x.getMetadata().setDeletionGracePeriodSeconds(30L);
                            return x;
                        }),
                        () -> kube.pods().inNamespace(ns).withName(name).delete());
                for (Runnable write : life) {
                    long before = agents.get(0).events.get();
                    long t0 = System.nanoTime();
                    write.run();
                    writes++;
                    awaitAll(agents, before + 1);
                    fanOutMicros.add((System.nanoTime() - t0) / 1000);
                }
            }
            long cpu = cpu() - cpu0;
            long events = agents.stream().mapToLong(a -> a.events.get()).sum();
            long bytes = agents.stream().mapToLong(a -> a.bytes.get()).sum();
            long handlerNanos = agents.stream().mapToLong(a -> a.handlerNanos.get()).sum();
            fanOutMicros.sort(null);
            System.out.printf("%d agents, %d pod lives of %d writes each (%d writes)%n", AGENTS, PODS,
                    writes / PODS, writes);
            System.out.printf("per agent per pod life: %.1f events, %.0f bytes (%.0f bytes an event)%n",
                    (double) events / AGENTS / PODS, (double) bytes / AGENTS / PODS, (double) bytes / events);
            System.out.printf("agent handler (translate), thread CPU: %.1f µs an event%n",
                    handlerNanos / 1000.0 / events);
            System.out.printf("write → last of %d agents has it: p50 %d µs, p99 %d µs, max %d µs%n", AGENTS,
                    fanOutMicros.get(fanOutMicros.size() / 2),
                    fanOutMicros.get((int) Math.ceil(fanOutMicros.size() * 0.99) - 1),
                    fanOutMicros.get(fanOutMicros.size() - 1));
            System.out.printf("process CPU (mock server + %d clients + handlers): %.0f µs per delivered event, "
                    + "%.1f ms per write%n", AGENTS, cpu / 1000.0 / events, cpu / 1e6 / writes);
            assertThat(events).isEqualTo((long) AGENTS * writes);
            informers.forEach(ClusterInformers::close);
            clients.forEach(KubernetesClient::close);
        }
    }

    private static void awaitAll(List<Counting> agents, long events) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (Counting a : agents) {
            while (a.events.get() < events) {
                assertThat(System.nanoTime()).as("every agent gets the event").isLessThan(deadline);
                Thread.sleep(0, 200_000);
            }
        }
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Counts the events and object bytes one agent receives, translating each as the agent's handler does. */
    private static final class Counting implements WatchedInformer.Handler {
        final AtomicLong events = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong handlerNanos = new AtomicLong();
        private final ChangeTranslator translator;

        Counting(ChangeTranslator translator) {
            this.translator = translator;
        }

        @Override
        public void upserted(HasMetadata object) {
            count(object, true);
        }

        @Override
        public void deleted(HasMetadata object) {
            count(object, false);
        }

        private void count(HasMetadata object, boolean upsert) {
            long t0 = THREADS.getCurrentThreadCpuTime();
            if (upsert) {
                translator.upsert(object);
            } else {
                translator.delete(object);
            }
            handlerNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - t0);
            bytes.addAndGet(JSON.asJson(object).getBytes(StandardCharsets.UTF_8).length);
            events.incrementAndGet();
        }

        void reset() {
            events.set(0);
            bytes.set(0);
            handlerNanos.set(0);
        }
    }
}
