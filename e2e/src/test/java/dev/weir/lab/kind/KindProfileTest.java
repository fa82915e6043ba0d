package dev.weir.lab.kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.dajudge.kindcontainer.KindContainer;
import dev.weir.conformance.NetpolCluster;
import dev.weir.explain.PortProtocol;
import dev.weir.explain.TruthTable;
import dev.weir.explain.TruthTableDiff;
import dev.weir.lab.probe.LabExplain;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The optional kind profile: the catalogue's cluster (namespaces x, y, z × pods a, b, c) on a real kind cluster where
 * Docker exists, skipped where it does not (this reference machine has a docker CLI but no daemon).
 *
 * <p>What it does, honestly: it runs agnhost pods (image pulled from registry.k8s.io) serving 80/TCP, checks with
 * {@code agnhost connect} from inside the pods that every pod reaches every pod, applies a NetworkPolicy to a real API
 * server (whose validation the lab's mock lacks), computes explain's table from the real server's objects and probes
 * again. Packets can only agree with explain if something enforces policy: weir's agent cannot be installed (no image
 * is built here), so enforcement is whatever kind's CNI does (kindnet enforces NetworkPolicy only in newer kind
 * releases). When the probes show the policy not enforced at all, the test is aborted saying so rather than failed;
 * when it is enforced, every cell must equal explain's.
 */
@Testcontainers(disabledWithoutDocker = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KindProfileTest {

    static final String AGNHOST = "registry.k8s.io/e2e-test-images/agnhost:2.53";
    static final List<String> PODS = List.of("x/a", "x/b", "y/a");
    static final PortProtocol TARGET = PortProtocol.tcp(80);

    @Container
    static final KindContainer<?> KIND = new KindContainer<>();

    KubernetesClient client;

    @BeforeAll
    void cluster() throws Exception {
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(KIND.getKubeconfig())).build();
        NetpolCluster.NAMESPACES.forEach(ns -> client.resource(NetpolCluster.namespace(ns)).create());
        for (String key : PODS) {
            Pod p = NetpolCluster.pod(key, null, null);
            p.setStatus(null);
            Pod pod = new PodBuilder(p).editSpec().editFirstContainer().withImage(AGNHOST)
                    .withArgs("netexec", "--http-port=80").endContainer().endSpec().build();
            client.resource(pod).create();
        }
        for (String key : PODS) {
            String[] k = key.split("/");
            client.pods().inNamespace(k[0]).withName(k[1]).waitUntilReady(5, TimeUnit.MINUTES);
        }
    }

    @AfterAll
    void close() {
        if (client != null) {
            client.close();
        }
    }

    private String ip(String key) {
        String[] k = key.split("/");
        return client.pods().inNamespace(k[0]).withName(k[1]).get().getStatus().getPodIP();
    }

    private boolean connect(String from, String to) throws Exception {
        String[] k = from.split("/");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ExecWatch w = client.pods().inNamespace(k[0]).withName(k[1]).writingOutput(out).writingError(out)
                .exec("/agnhost", "connect", ip(to) + ":80", "--timeout=1s", "--protocol=tcp")) {
            return w.exitCode().get(30, TimeUnit.SECONDS) == 0;
        }
    }

    private TruthTable probe() throws Exception {
        TruthTable.Builder b = TruthTable.builder(PODS);
        b.target(TARGET);
        for (String from : PODS) {
            for (String to : PODS) {
                b.set(from, to, TARGET, TruthTable.Cell.of(connect(from, to)));
            }
        }
        return b.build();
    }

    @Test
    void packetsOnKindAgreeWithExplainWhereTheClusterEnforcesPolicy() throws Exception {
        TruthTable open = probe();
        assertThat(TruthTableDiff.between(LabExplain.table(client, PODS, List.of(TARGET), d -> {
        }), open)).as("with no policy every pod reaches every pod").isEmpty();

        client.resource(new KubernetesSerialization().unmarshal("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny-all-ingress, namespace: x}
                spec: {podSelector: {}, policyTypes: [Ingress]}
                """, NetworkPolicy.class)).create();
        TruthTable explained = LabExplain.table(client, PODS, List.of(TARGET), d -> {
        });
        assertThat(explained.cell("y/a", "x/a", TARGET).orElseThrow().allowed()).isFalse();
        TruthTable probed = null;
        for (int i = 0; i < 10; i++) {
            probed = probe();
            if (TruthTableDiff.between(explained, probed).isEmpty()) {
                break;
            }
            Thread.sleep(2000);
        }
        assumeTrue(!TruthTableDiff.between(open, probed).isEmpty(),
                "kind's CNI does not enforce NetworkPolicy and weir's agent has no image here: only explain ran");
        assertThat(TruthTableDiff.between(explained, probed)).isEmpty();
    }
}
