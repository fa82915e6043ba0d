package dev.weir.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.graph.PolicyCompiler;
import dev.weir.graph.Reachability;
import dev.weir.k8s.LoadResult;
import dev.weir.k8s.ManifestLoader;
import dev.weir.model.Protocol;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped examples/ directory, evaluated cell by cell: what the README promises `weir explain examples/` shows. */
class ExamplesTest {

    /** The repository's examples/ directory, found from the module directory the tests run in. */
    static Path examples() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("examples/cluster.yaml"))) {
                return p.resolve("examples");
            }
        }
        throw new IllegalStateException("no examples/cluster.yaml above " + Path.of("").toAbsolutePath());
    }

    @Test
    void examplesLoadWithoutDiagnosticsOrAssumptions() {
        LoadResult r = ManifestLoader.load(List.of(examples().toString()), InputStream.nullInputStream());
        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.notes()).isEmpty();
        assertThat(r.snapshot().policies()).hasSize(3);
    }

    @Test
    void examplesMatrixCellByCell() {
        LoadResult r = ManifestLoader.load(List.of(examples().toString()), InputStream.nullInputStream());
        Reachability reach = new Reachability(PolicyCompiler.compile(r.snapshot()));
        TruthTable t = Explainer.table(reach, Explainer.declaredTargets(reach.graph()));

        assertThat(t.targets()).containsExactly(PortProtocol.tcp(80), PortProtocol.tcp(443));
        // dev/myapp-1 is 10.244.1.2, the except of allow-80-ingress: it cannot reach the other myapp pod.
        // dev/other is only under deny-all-ingress: nobody reaches it. prod denies all egress.
        String expected = """
                -\tdev/myapp-1\tdev/myapp-2\tdev/other\tprod/myapp-1\tprod/myapp-2\tprod/other
                dev/myapp-1\t.\tX\tX\t.\t.\t.
                dev/myapp-2\t.\t.\tX\t.\t.\t.
                dev/other\t.\t.\t.\t.\t.\t.
                prod/myapp-1\tX\tX\tX\t.\tX\tX
                prod/myapp-2\tX\tX\tX\tX\t.\tX
                prod/other\tX\tX\tX\tX\tX\t.""";
        for (PortProtocol target : t.targets()) {
            assertThat(TruthTableText.render(t, target)).isEqualTo(TruthTableText.title(target) + "\n" + expected);
        }
    }

    @Test
    void exceptedSourceIsDeniedWithTheIsolatingPolicyNamed() {
        LoadResult r = ManifestLoader.load(List.of(examples().toString()), InputStream.nullInputStream());
        Reachability reach = new Reachability(PolicyCompiler.compile(r.snapshot()));
        TruthTable t = Explainer.table(reach, List.of(PortProtocol.tcp(80)));

        TruthTable.Cell denied = t.cell("dev/myapp-1", "dev/myapp-2", PortProtocol.tcp(80)).orElseThrow();
        assertThat(denied.allowed()).isFalse();
        assertThat(String.join("\n", denied.reasons())).contains("dev/allow-80-ingress").contains("dev/deny-all-ingress");
        TruthTable.Cell allowed = t.cell("dev/myapp-2", "dev/myapp-1", PortProtocol.tcp(80)).orElseThrow();
        assertThat(String.join("\n", allowed.reasons())).contains("dev/allow-80-ingress ingress[0]");
    }

    @Test
    void clusterNetworkPolicyExamplesCellByCell() {
        LoadResult r = ManifestLoader.load(List.of(examples().resolve("cluster-network-policy").toString()),
                InputStream.nullInputStream());
        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.notes()).isEmpty();
        assertThat(r.snapshot().clusterPolicies()).hasSize(4);
        Reachability reach = new Reachability(PolicyCompiler.compile(r.snapshot()));
        TruthTable t = Explainer.table(reach, List.of(PortProtocol.tcp(80), PortProtocol.tcp(9100)));

        // imds stands in for 169.254.169.254: every namespace but kube-system is denied egress to it (Admin).
        // Baseline: green and blue do not reach each other; namespaces without a tenant label reach both.
        String expected = """
                -\tblue/db\tblue/web\tcloud-metadata/imds\tgreen/web\tkube-system/coredns\tmonitoring/prometheus
                blue/db\t.\t.\tX\tX\t.\t.
                blue/web\t.\t.\tX\tX\t.\t.
                cloud-metadata/imds\t.\t.\t.\t.\t.\t.
                green/web\tX\tX\tX\t.\t.\t.
                kube-system/coredns\t.\t.\t.\t.\t.\t.
                monitoring/prometheus\t.\t.\tX\t.\t.\t.""";
        for (PortProtocol target : t.targets()) {
            assertThat(TruthTableText.render(t, target)).isEqualTo(TruthTableText.title(target) + "\n" + expected);
        }
    }

    @Test
    void clusterNetworkPolicyVerdictsNameTheDecidingRuleAndTier() {
        LoadResult r = ManifestLoader.load(List.of(examples().resolve("cluster-network-policy").toString()),
                InputStream.nullInputStream());
        Reachability reach = new Reachability(PolicyCompiler.compile(r.snapshot()));

        assertThat(reach.evaluate("blue/web", "cloud-metadata/imds", 80, Protocol.TCP).reasons())
                .contains("egress: denied by ClusterNetworkPolicy deny-cloud-metadata egress[0] "
                        + "\"deny-metadata-service\" (Admin, priority 10)");
        assertThat(reach.evaluate("green/web", "blue/web", 8080, Protocol.TCP).reasons())
                .contains("ingress: denied by ClusterNetworkPolicy tenant-blue-isolation ingress[1] "
                        + "\"deny-from-other-tenants\" (Baseline, priority 100)");
        assertThat(reach.evaluate("monitoring/prometheus", "blue/web", 9100, Protocol.TCP).reasons())
                .anySatisfy(reason -> assertThat(reason).startsWith("ingress: passed by ClusterNetworkPolicy "
                        + "delegate-metrics-scrapes ingress[0] \"metrics-decided-by-namespace-owners\" (Admin, "
                        + "priority 5); "));
        assertThat(reach.evaluate("kube-system/coredns", "cloud-metadata/imds", 80, Protocol.TCP).allowed()).isTrue();
    }
}
