package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code weir explain --to svc/NS/NAME}: the endpoints kube-proxy's rules may pick and the verdict for the packet each
 * receives: after the DNAT, the client's own address across nodes for a pod, the entry node's masquerade address for
 * a node port with {@code externalTrafficPolicy: Cluster} forwarded to another node, the client's address kept with
 * {@code Local}, and a hairpin judged by both sides of the pod.
 */
class ExplainServiceTest {

    /** Two flannel VXLAN nodes; x/b (n1) and x/c (n2) serve "http" on 8080 and admit only x/a and the underlay. */
    private static final String CLUSTER = """
            apiVersion: v1
            kind: Node
            metadata:
              name: wl-n1
              annotations: {flannel.alpha.coreos.com/backend-type: vxlan}
            spec: {podCIDR: 10.244.1.0/24}
            status: {addresses: [{type: InternalIP, address: 192.168.222.11}]}
            ---
            apiVersion: v1
            kind: Node
            metadata:
              name: wl-n2
              annotations: {flannel.alpha.coreos.com/backend-type: vxlan}
            spec: {podCIDR: 10.244.2.0/24}
            status: {addresses: [{type: InternalIP, address: 192.168.222.12}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: a, namespace: x, labels: {pod: a}}
            spec: {nodeName: wl-n1, containers: [{name: c}]}
            status: {podIP: 10.244.1.2, phase: Running}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: b, namespace: x, labels: {pod: b, app: web}}
            spec: {nodeName: wl-n1, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
            status: {podIP: 10.244.1.3, phase: Running}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: c, namespace: x, labels: {pod: c, app: web}}
            spec: {nodeName: wl-n2, containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
            status: {podIP: 10.244.2.2, phase: Running}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: x}
            spec:
              type: NodePort
              clusterIP: 10.96.0.10
              selector: {app: web}
              ports: [{port: 80, targetPort: http, nodePort: 30080}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web-local, namespace: x}
            spec:
              type: NodePort
              clusterIP: 10.96.0.11
              externalTrafficPolicy: Local
              selector: {app: web}
              ports: [{port: 80, targetPort: 8080, nodePort: 30081}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: web-from-a-and-underlay, namespace: x}
            spec:
              podSelector: {matchLabels: {app: web}}
              ingress:
              - from: [{podSelector: {matchLabels: {pod: a}}}, {ipBlock: {cidr: 192.168.222.0/24}}]
                ports: [{port: 8080}]
            """;

    private static CliRun explain(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "-";
        System.arraycopy(args, 0, all, 1, args.length);
        return CliRun.weir(new ExplainCommand(new ByteArrayInputStream(CLUSTER.getBytes(StandardCharsets.UTF_8))),
                all);
    }

    @Test
    void aPodReachesEveryEndpointThePolicyAdmitsOnTheTargetPort() {
        CliRun r = explain("--from", "x/a", "--to", "svc/x/web");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("x/a -> svc/x/web 80/TCP -> x/b: allowed\n"
                + "  service: x/web ClusterIP 80/TCP: DNAT to x/b:8080\n"
                + "  egress: x/a is not selected by any policy with egress rules: allowed\n"
                + "  ingress: allowed by x/web-from-a-and-underlay ingress[0]\n");
        assertThat(r.out()).contains("x/a -> svc/x/web 80/TCP -> x/c: allowed\n");
    }

    @Test
    void aHairpinIsJudgedByBothSidesOfThePodAndDeniedWhenItsIngressDoesNotAdmitItself() {
        CliRun r = explain("--from", "x/b", "--to", "svc/x/web");
        assertThat(r.out()).contains("x/b -> svc/x/web 80/TCP -> x/b: denied\n"
                + "  service: x/web ClusterIP 80/TCP: DNAT to x/b:8080, the client itself (hairpin: masqueraded "
                + "after the filter hooks)\n"
                + "  egress: x/b is not selected by any policy with egress rules: allowed\n"
                + "  ingress: x/b is isolated by x/web-from-a-and-underlay and no rule allows it: denied\n");
        assertThat(r.out()).contains("x/b -> svc/x/web 80/TCP -> x/c: denied\n");
    }

    @Test
    void aNodePortWithClusterPolicyIsMasqueradedToTheEntryNodesVxlanAddressWhenForwarded() {
        CliRun r = explain("--from", "192.168.222.200", "--to", "svc/x/web");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("192.168.222.200 -> wl-n1 -> svc/x/web 30080/TCP -> x/b: allowed\n")
                .contains("192.168.222.200 -> wl-n1 -> svc/x/web 30080/TCP -> x/c: denied\n"
                        + "  service: x/web NodePort on wl-n1 30080/TCP: DNAT on wl-n1 to x/c:8080, forwarded to "
                        + "wl-n2 masqueraded to 10.244.1.0 (externalTrafficPolicy: Cluster)\n"
                        + "  egress: 192.168.222.200 is not a pod's address; no policy applies to that end\n"
                        + "  ingress: x/c is isolated by x/web-from-a-and-underlay and no rule allows it: denied\n")
                .contains("192.168.222.200 -> wl-n2 -> svc/x/web 30080/TCP -> x/c: allowed\n")
                .contains("192.168.222.200 -> wl-n2 -> svc/x/web 30080/TCP -> x/b: denied\n");
    }

    @Test
    void aNodePortWithLocalPolicyKeepsTheClientsAddressAndReachesOnlyTheEntryNodesEndpoints() {
        CliRun r = explain("--from", "192.168.222.200", "--to", "svc/x/web-local");
        assertThat(r.out()).contains("192.168.222.200 -> wl-n1 -> svc/x/web-local 30081/TCP -> x/b: allowed\n")
                .contains("192.168.222.200 -> wl-n2 -> svc/x/web-local 30081/TCP -> x/c: allowed\n")
                .doesNotContain("wl-n1 -> svc/x/web-local 30081/TCP -> x/c")
                .doesNotContain("wl-n2 -> svc/x/web-local 30081/TCP -> x/b");
    }

    @Test
    void withoutFromTheTableHasAPodPerRowAndAnEndpointPerColumn() {
        CliRun r = explain("--to", "svc/x/web");
        assertThat(r.out()).contains("Reachability 80/TCP (rows: from, columns: to; . allowed, X denied):\n"
                + "-\tx/b\tx/c\n"
                + "x/a\t.\t.\n"
                + "x/b\tX\tX\n"
                + "x/c\tX\tX\n");
    }

    @Test
    void anUnknownServiceIsAUsageError() {
        CliRun r = explain("--to", "svc/x/nope");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no Service x/nope in the manifests (Services: x/web, x/web-local)");
    }
}
