package dev.weir.agent;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Objects as a real API server sends them ({@code kubectl get -o json} of a kubeadm cluster: managedFields, status
 * conditions, container specs with env, volume mounts, resources and probes, the service-account volume; Nodes with
 * ~40 {@code status.images}), parsed from JSON by fabric8's serializer as an informer parses a list or watch event,
 * so no two objects share strings. Deterministic in the index: object {@code i} is always the same. Used by the memory
 * benchmark (how much the informer caches keep) and by the test that trimmed objects translate like full ones.
 */
public final class RealisticObjects {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private RealisticObjects() {
    }

    public static <T> T parse(String json, Class<T> type) {
        return JSON.unmarshal(json, type);
    }

    static String uid(String kind, int i) {
        return String.format("%08x-%04x-4%03x-8%03x-%012x", kind.hashCode() & 0xffffffffL, i & 0xffff,
                (i >> 4) & 0xfff, i & 0xfff, (long) i * 7919);
    }

    public static String namespaceJson(int n) {
        String name = "ns" + n;
        return """
                {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"%s","uid":"%s","resourceVersion":"%d",
                 "creationTimestamp":"2026-11-01T10:00:00Z",
                 "labels":{"kubernetes.io/metadata.name":"%s","team":"t%d","env":"%s"},
                 "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\\"apiVersion\\":\\"v1\\",\\"kind\\":\\"Namespace\\",\\"metadata\\":{\\"annotations\\":{},\\"labels\\":{\\"env\\":\\"%s\\",\\"team\\":\\"t%d\\"},\\"name\\":\\"%s\\"}}\\n"},
                 "managedFields":[{"manager":"kubectl-client-side-apply","operation":"Update","apiVersion":"v1",
                   "time":"2026-11-01T10:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:annotations":
                   {".":{},"f:kubectl.kubernetes.io/last-applied-configuration":{}},"f:labels":{".":{},"f:env":{},
                   "f:kubernetes.io/metadata.name":{},"f:team":{}}}}}]},
                 "spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}
                """.formatted(name, uid("Namespace", n), 1000 + n, name, n % 10, env(n), env(n), n % 10, name);
    }

    private static String env(int n) {
        return switch (n % 3) {
            case 0 -> "prod";
            case 1 -> "staging";
            default -> "dev";
        };
    }

    /**
     * Pod {@code i} of a Deployment in namespace {@code ns<i % namespaces>} on {@code node}: two containers (one with
     * named ports http and metrics), Running with an IPv4 address, or (every 100th) a hostNetwork pod with the node's
     * address.
     */
    static String podJson(int i, int namespaces, String node, String nodeIp) {
        String ns = "ns" + (i % namespaces);
        String app = "app" + (i % 20);
        String hash = Integer.toHexString(0x5f00000 + i * 31 % 0xfffff);
        String name = app + "-" + hash + "-" + Integer.toString(36 * 36 * 36 + i, 36);
        boolean hostNetwork = i % 100 == 99;
        String ip = hostNetwork ? nodeIp : "10." + (16 + i / 65_000) + "." + (i / 250 % 250) + "." + (i % 250 + 1);
        return """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%1$s","generateName":"%2$s-%3$s-","namespace":"%4$s",
                 "uid":"%5$s","resourceVersion":"%6$d","creationTimestamp":"2026-11-02T08:%7$02d:%8$02dZ",
                 "labels":{"app":"%2$s","pod-template-hash":"%3$s","tier":"%9$s","version":"v%10$d",
                   "app.kubernetes.io/part-of":"shop"},
                 "annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-02T08:00:00Z",
                   "prometheus.io/scrape":"true","prometheus.io/port":"9090"},
                 "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"%2$s-%3$s",
                   "uid":"%11$s","controller":true,"blockOwnerDeletion":true}],
                 "managedFields":[
                  {"manager":"kube-controller-manager","operation":"Update","apiVersion":"v1","time":"2026-11-02T08:00:00Z",
                   "fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:annotations":{".":{},"f:kubectl.kubernetes.io/restartedAt":{},
                   "f:prometheus.io/port":{},"f:prometheus.io/scrape":{}},"f:generateName":{},"f:labels":{".":{},"f:app":{},
                   "f:app.kubernetes.io/part-of":{},"f:pod-template-hash":{},"f:tier":{},"f:version":{}},"f:ownerReferences":{".":{},
                   "k:{\\"uid\\":\\"%11$s\\"}":{}}},"f:spec":{"f:containers":{"k:{\\"name\\":\\"app\\"}":{".":{},"f:args":{},
                   "f:env":{".":{},"k:{\\"name\\":\\"LOG_LEVEL\\"}":{".":{},"f:name":{},"f:value":{}},"k:{\\"name\\":\\"POD_IP\\"}":{".":{},
                   "f:name":{},"f:valueFrom":{".":{},"f:fieldRef":{}}}},"f:image":{},"f:imagePullPolicy":{},"f:livenessProbe":{".":{},
                   "f:failureThreshold":{},"f:httpGet":{".":{},"f:path":{},"f:port":{},"f:scheme":{}},"f:periodSeconds":{}},"f:name":{},
                   "f:ports":{".":{},"k:{\\"containerPort\\":8080,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{},"f:name":{},
                   "f:protocol":{}}},"f:readinessProbe":{".":{},"f:httpGet":{".":{},"f:path":{},"f:port":{}}},"f:resources":{".":{},
                   "f:limits":{".":{},"f:memory":{}},"f:requests":{".":{},"f:cpu":{},"f:memory":{}}},"f:volumeMounts":{".":{},
                   "k:{\\"mountPath\\":\\"/etc/app\\"}":{".":{},"f:mountPath":{},"f:name":{},"f:readOnly":{}}}},
                   "k:{\\"name\\":\\"sidecar\\"}":{".":{},"f:image":{},"f:name":{},"f:resources":{}}},"f:dnsPolicy":{},
                   "f:enableServiceLinks":{},"f:restartPolicy":{},"f:schedulerName":{},"f:securityContext":{},
                   "f:terminationGracePeriodSeconds":{},"f:volumes":{".":{},"k:{\\"name\\":\\"config\\"}":{".":{},"f:configMap":{},
                   "f:name":{}}}}}},
                  {"manager":"kubelet","operation":"Update","apiVersion":"v1","time":"2026-11-02T08:01:00Z","fieldsType":"FieldsV1",
                   "subresource":"status","fieldsV1":{"f:status":{"f:conditions":{"k:{\\"type\\":\\"ContainersReady\\"}":{".":{},
                   "f:lastProbeTime":{},"f:lastTransitionTime":{},"f:status":{},"f:type":{}},"k:{\\"type\\":\\"Initialized\\"}":{".":{},
                   "f:lastProbeTime":{},"f:lastTransitionTime":{},"f:status":{},"f:type":{}},"k:{\\"type\\":\\"PodReadyToStartContainers\\"}":
                   {".":{},"f:lastProbeTime":{},"f:lastTransitionTime":{},"f:status":{},"f:type":{}},"k:{\\"type\\":\\"Ready\\"}":{".":{},
                   "f:lastProbeTime":{},"f:lastTransitionTime":{},"f:status":{},"f:type":{}}},"f:containerStatuses":{},"f:hostIP":{},
                   "f:hostIPs":{},"f:phase":{},"f:podIP":{},"f:podIPs":{".":{},"k:{\\"ip\\":\\"%12$s\\"}":{".":{},"f:ip":{}}},
                   "f:startTime":{}}}}]},
                 "spec":{%13$s"nodeName":"%14$s","serviceAccountName":"default","serviceAccount":"default",
                  "containers":[
                   {"name":"app","image":"registry.example.com/shop/%2$s:1.%10$d.3","imagePullPolicy":"IfNotPresent",
                    "args":["--listen=:8080","--metrics=:9090","--config=/etc/app/config.yaml"],
                    "ports":[{"name":"http","containerPort":8080,"protocol":"TCP"},{"name":"metrics","containerPort":9090,"protocol":"TCP"}],
                    "env":[{"name":"LOG_LEVEL","value":"info"},{"name":"APP_NAME","value":"%2$s"},
                     {"name":"POD_NAME","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.name"}}},
                     {"name":"POD_NAMESPACE","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.namespace"}}},
                     {"name":"POD_IP","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"status.podIP"}}},
                     {"name":"GOMAXPROCS","valueFrom":{"resourceFieldRef":{"resource":"limits.cpu","divisor":"1"}}},
                     {"name":"DATABASE_URL","value":"postgres://db.%4$s.svc.cluster.local:5432/shop"},
                     {"name":"CACHE_TTL","value":"300s"}],
                    "resources":{"limits":{"memory":"256Mi"},"requests":{"cpu":"100m","memory":"128Mi"}},
                    "volumeMounts":[{"name":"config","mountPath":"/etc/app","readOnly":true},
                     {"name":"kube-api-access-%15$s","mountPath":"/var/run/secrets/kubernetes.io/serviceaccount","readOnly":true}],
                    "livenessProbe":{"httpGet":{"path":"/healthz","port":"http","scheme":"HTTP"},"timeoutSeconds":1,"periodSeconds":10,
                     "successThreshold":1,"failureThreshold":3},
                    "readinessProbe":{"httpGet":{"path":"/ready","port":8080,"scheme":"HTTP"},"timeoutSeconds":1,"periodSeconds":5,
                     "successThreshold":1,"failureThreshold":3},
                    "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"},
                   {"name":"sidecar","image":"registry.example.com/infra/log-shipper:2.4.1","imagePullPolicy":"IfNotPresent",
                    "env":[{"name":"SHIP_TO","value":"logs.infra.svc.cluster.local:24224"}],
                    "resources":{"limits":{"cpu":"50m","memory":"64Mi"},"requests":{"cpu":"10m","memory":"32Mi"}},
                    "volumeMounts":[{"name":"kube-api-access-%15$s","mountPath":"/var/run/secrets/kubernetes.io/serviceaccount","readOnly":true}],
                    "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],
                  "volumes":[{"name":"config","configMap":{"name":"%2$s-config","defaultMode":420}},
                   {"name":"kube-api-access-%15$s","projected":{"defaultMode":420,"sources":[
                    {"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}},
                    {"configMap":{"name":"kube-root-ca.crt","items":[{"key":"ca.crt","path":"ca.crt"}]}},
                    {"downwardAPI":{"items":[{"path":"namespace","fieldRef":{"apiVersion":"v1","fieldPath":"metadata.namespace"}}]}}]}}],
                  "restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","securityContext":{},
                  "schedulerName":"default-scheduler","enableServiceLinks":true,"preemptionPolicy":"PreemptLowerPriority",
                  "priority":0,
                  "tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300},
                   {"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}]},
                 "status":{"phase":"Running","hostIP":"%16$s","hostIPs":[{"ip":"%16$s"}],"podIP":"%12$s","podIPs":[{"ip":"%12$s"}],
                  "startTime":"2026-11-02T08:00:01Z","qosClass":"Burstable",
                  "conditions":[
                   {"type":"PodReadyToStartContainers","status":"True","lastProbeTime":null,"lastTransitionTime":"2026-11-02T08:00:03Z"},
                   {"type":"Initialized","status":"True","lastProbeTime":null,"lastTransitionTime":"2026-11-02T08:00:01Z"},
                   {"type":"Ready","status":"True","lastProbeTime":null,"lastTransitionTime":"2026-11-02T08:00:09Z"},
                   {"type":"ContainersReady","status":"True","lastProbeTime":null,"lastTransitionTime":"2026-11-02T08:00:09Z"},
                   {"type":"PodScheduled","status":"True","lastProbeTime":null,"lastTransitionTime":"2026-11-02T08:00:01Z"}],
                  "containerStatuses":[
                   {"name":"app","state":{"running":{"startedAt":"2026-11-02T08:00:03Z"}},"lastState":{},"ready":true,"restartCount":0,
                    "image":"registry.example.com/shop/%2$s:1.%10$d.3",
                    "imageID":"registry.example.com/shop/%2$s@sha256:%17$s",
                    "containerID":"containerd://%18$s","started":true,
                    "volumeMounts":[{"name":"config","mountPath":"/etc/app","readOnly":true,"recursiveReadOnly":"Disabled"}]},
                   {"name":"sidecar","state":{"running":{"startedAt":"2026-11-02T08:00:03Z"}},"lastState":{},"ready":true,"restartCount":0,
                    "image":"registry.example.com/infra/log-shipper:2.4.1",
                    "imageID":"registry.example.com/infra/log-shipper@sha256:%19$s",
                    "containerID":"containerd://%20$s","started":true}]}}
                """.formatted(name, app, hash, ns, uid("Pod", i), 200_000 + i, i / 60 % 60, i % 60,
                i % 3 == 0 ? "fe" : "be", i % 4, uid("ReplicaSet", i % 2000), ip,
                hostNetwork ? "\"hostNetwork\":true," : "", node, Integer.toString(10_000 + i % 30_000, 36).substring(0, 3)
                        + "x" + Integer.toString(i % 36, 36),
                nodeIp, sha(i, 1), sha(i, 2), sha(i % 7, 3), sha(i, 4));
    }

    /** 64 hex digits, distinct per (i, salt). */
    static String sha(int i, int salt) {
        StringBuilder b = new StringBuilder(64);
        long x = (i + 1L) * 0x9E3779B97F4A7C15L + salt;
        while (b.length() < 64) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            b.append(String.format("%016x", x));
        }
        return b.substring(0, 64);
    }

    /**
     * Policy {@code p}, applied with {@code kubectl apply} (so it carries the last-applied annotation), in one of four
     * shapes: podSelector peer on a numeric port, namespaceSelector AND podSelector on a named port, ipBlock with an
     * except, egress to DNS.
     */
    static String policyJson(int p, int namespaces) {
        String ns = "ns" + (p % namespaces);
        String target = "{\"matchLabels\":{\"app\":\"app" + (p % 20) + "\"}}";
        String spec = switch (p % 4) {
            case 0 -> "{\"podSelector\":" + target + ",\"policyTypes\":[\"Ingress\"],\"ingress\":[{\"from\":[{\"podSelector\":"
                    + "{\"matchLabels\":{\"app\":\"app" + ((p + 1) % 20) + "\"}}}],\"ports\":[{\"protocol\":\"TCP\",\"port\":"
                    + (8080 + p % 5) + "}]}]}";
            case 1 -> "{\"podSelector\":" + target + ",\"policyTypes\":[\"Ingress\"],\"ingress\":[{\"from\":[{\"namespaceSelector\":"
                    + "{\"matchLabels\":{\"team\":\"t" + (p % 10) + "\"}},\"podSelector\":{\"matchExpressions\":[{\"key\":\"tier\","
                    + "\"operator\":\"In\",\"values\":[\"fe\",\"be\"]}]}}],\"ports\":[{\"protocol\":\"TCP\",\"port\":\"http\"}]}]}";
            case 2 -> "{\"podSelector\":" + target + ",\"policyTypes\":[\"Ingress\"],\"ingress\":[{\"from\":[{\"ipBlock\":{\"cidr\":"
                    + "\"172." + (16 + p % 16) + ".0.0/16\",\"except\":[\"172." + (16 + p % 16) + ".1.0/24\"]}}]}]}";
            default -> "{\"podSelector\":" + target + ",\"policyTypes\":[\"Egress\"],\"egress\":[{\"to\":[{\"namespaceSelector\":"
                    + "{\"matchLabels\":{\"kubernetes.io/metadata.name\":\"kube-system\"}},\"podSelector\":{\"matchLabels\":"
                    + "{\"k8s-app\":\"kube-dns\"}}}],\"ports\":[{\"protocol\":\"UDP\",\"port\":53},{\"protocol\":\"TCP\",\"port\":53}]}]}";
        };
        String name = "np" + p;
        String lastApplied = ("{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"NetworkPolicy\",\"metadata\":{\"annotations\":{},"
                + "\"name\":\"" + name + "\",\"namespace\":\"" + ns + "\"},\"spec\":" + spec + "}\n")
                .replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        return """
                {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"%s","namespace":"%s",
                 "uid":"%s","resourceVersion":"%d","generation":1,"creationTimestamp":"2026-11-03T09:00:00Z",
                 "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"%s"},
                 "managedFields":[{"manager":"kubectl-client-side-apply","operation":"Update","apiVersion":"networking.k8s.io/v1",
                  "time":"2026-11-03T09:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:annotations":{".":{},
                  "f:kubectl.kubernetes.io/last-applied-configuration":{}}},"f:spec":{"f:ingress":{},"f:egress":{},
                  "f:podSelector":{},"f:policyTypes":{}}}}]},
                 "spec":%s}
                """.formatted(name, ns, uid("NetworkPolicy", p), 300_000 + p, lastApplied, spec);
    }

    static String nodeIp(int n) {
        return "192.168." + (n / 250) + "." + (n % 250 + 10);
    }

    /** Node {@code n} of a kubeadm cluster with flannel: labels, annotations, managedFields, 40 images, conditions. */
    public static String nodeJson(int n) {
        String name = "n" + n;
        StringJoiner images = new StringJoiner(",");
        for (int k = 0; k < 40; k++) {
            String repo = k < 8 ? "registry.k8s.io/" + List.of("kube-proxy", "pause", "coredns/coredns", "etcd",
                    "kube-apiserver", "kube-controller-manager", "kube-scheduler", "metrics-server/metrics-server").get(k)
                    : "registry.example.com/shop/app" + (k % 20) + (k >= 28 ? "-worker" : "");
            images.add("{\"names\":[\"" + repo + "@sha256:" + sha(n * 40 + k, 5) + "\",\"" + repo + ":1." + k + "."
                    + (n % 7) + "\"],\"sizeBytes\":" + (20_000_000L + k * 1_234_567L + n) + "}");
        }
        return """
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"%1$s","uid":"%2$s","resourceVersion":"%3$d",
                 "creationTimestamp":"2026-10-01T07:00:00Z",
                 "labels":{"beta.kubernetes.io/arch":"amd64","beta.kubernetes.io/os":"linux","kubernetes.io/arch":"amd64",
                  "kubernetes.io/hostname":"%1$s","kubernetes.io/os":"linux","node.kubernetes.io/instance-type":"m6i.2xlarge",
                  "topology.kubernetes.io/region":"eu-west-1","topology.kubernetes.io/zone":"eu-west-1%4$s",
                  "role":"%5$s"},
                 "annotations":{"flannel.alpha.coreos.com/backend-data":"{\\"VNI\\":1,\\"VtepMAC\\":\\"aa:bb:cc:%6$02x:%7$02x:01\\"}",
                  "flannel.alpha.coreos.com/backend-type":"vxlan","flannel.alpha.coreos.com/kube-subnet-manager":"true",
                  "flannel.alpha.coreos.com/public-ip":"%8$s","kubeadm.alpha.kubernetes.io/cri-socket":"unix:///run/containerd/containerd.sock",
                  "node.alpha.kubernetes.io/ttl":"0","volumes.kubernetes.io/controller-managed-attach-detach":"true"},
                 "managedFields":[
                  {"manager":"kubeadm","operation":"Update","apiVersion":"v1","time":"2026-10-01T07:00:00Z","fieldsType":"FieldsV1",
                   "fieldsV1":{"f:metadata":{"f:annotations":{"f:kubeadm.alpha.kubernetes.io/cri-socket":{}}}}},
                  {"manager":"kube-controller-manager","operation":"Update","apiVersion":"v1","time":"2026-10-01T07:00:10Z",
                   "fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:annotations":{"f:node.alpha.kubernetes.io/ttl":{}}},
                   "f:spec":{"f:podCIDR":{},"f:podCIDRs":{".":{},"v:\\"10.244.%6$d.0/24\\"":{}}}}},
                  {"manager":"flanneld","operation":"Update","apiVersion":"v1","time":"2026-10-01T07:00:20Z","fieldsType":"FieldsV1",
                   "subresource":"status","fieldsV1":{"f:metadata":{"f:annotations":{"f:flannel.alpha.coreos.com/backend-data":{},
                   "f:flannel.alpha.coreos.com/backend-type":{},"f:flannel.alpha.coreos.com/kube-subnet-manager":{},
                   "f:flannel.alpha.coreos.com/public-ip":{}}},"f:status":{"f:conditions":{"k:{\\"type\\":\\"NetworkUnavailable\\"}":
                   {".":{},"f:lastHeartbeatTime":{},"f:lastTransitionTime":{},"f:message":{},"f:reason":{},"f:status":{},"f:type":{}}}}}},
                  {"manager":"kubelet","operation":"Update","apiVersion":"v1","time":"2026-11-05T12:00:00Z","fieldsType":"FieldsV1",
                   "subresource":"status","fieldsV1":{"f:status":{"f:allocatable":{"f:cpu":{},"f:ephemeral-storage":{},"f:memory":{}},
                   "f:capacity":{"f:cpu":{},"f:ephemeral-storage":{},"f:memory":{}},"f:conditions":{"k:{\\"type\\":\\"DiskPressure\\"}":
                   {"f:lastHeartbeatTime":{}},"k:{\\"type\\":\\"MemoryPressure\\"}":{"f:lastHeartbeatTime":{}},
                   "k:{\\"type\\":\\"PIDPressure\\"}":{"f:lastHeartbeatTime":{}},"k:{\\"type\\":\\"Ready\\"}":{"f:lastHeartbeatTime":{},
                   "f:lastTransitionTime":{},"f:message":{},"f:reason":{},"f:status":{}}},"f:images":{},"f:nodeInfo":{"f:bootID":{}}}}}]},
                 "spec":{"podCIDR":"10.244.%6$d.0/24","podCIDRs":["10.244.%6$d.0/24"],"providerID":"aws:///eu-west-1a/i-%9$s"},
                 "status":{
                  "capacity":{"cpu":"8","ephemeral-storage":"101430960Ki","hugepages-1Gi":"0","hugepages-2Mi":"0","memory":"32475628Ki","pods":"110"},
                  "allocatable":{"cpu":"8","ephemeral-storage":"93478772582","hugepages-1Gi":"0","hugepages-2Mi":"0","memory":"32373228Ki","pods":"110"},
                  "conditions":[
                   {"type":"NetworkUnavailable","status":"False","lastHeartbeatTime":"2026-10-01T07:00:20Z","lastTransitionTime":"2026-10-01T07:00:20Z",
                    "reason":"FlannelIsUp","message":"Flannel is running on this node"},
                   {"type":"MemoryPressure","status":"False","lastHeartbeatTime":"2026-11-05T12:00:00Z","lastTransitionTime":"2026-10-01T07:00:00Z",
                    "reason":"KubeletHasSufficientMemory","message":"kubelet has sufficient memory available"},
                   {"type":"DiskPressure","status":"False","lastHeartbeatTime":"2026-11-05T12:00:00Z","lastTransitionTime":"2026-10-01T07:00:00Z",
                    "reason":"KubeletHasNoDiskPressure","message":"kubelet has no disk pressure"},
                   {"type":"PIDPressure","status":"False","lastHeartbeatTime":"2026-11-05T12:00:00Z","lastTransitionTime":"2026-10-01T07:00:00Z",
                    "reason":"KubeletHasSufficientPID","message":"kubelet has sufficient PID available"},
                   {"type":"Ready","status":"True","lastHeartbeatTime":"2026-11-05T12:00:00Z","lastTransitionTime":"2026-10-01T07:00:30Z",
                    "reason":"KubeletReady","message":"kubelet is posting ready status"}],
                  "addresses":[{"type":"InternalIP","address":"%8$s"},{"type":"Hostname","address":"%1$s"},
                   {"type":"InternalDNS","address":"ip-%10$s.eu-west-1.compute.internal"}],
                  "daemonEndpoints":{"kubeletEndpoint":{"Port":10250}},
                  "nodeInfo":{"machineID":"%11$s","systemUUID":"%12$s","bootID":"%13$s","kernelVersion":"6.1.0-27-cloud-amd64",
                   "osImage":"Debian GNU/Linux 12 (bookworm)","containerRuntimeVersion":"containerd://1.7.24","kubeletVersion":"v1.32.4",
                   "kubeProxyVersion":"v1.32.4","operatingSystem":"linux","architecture":"amd64"},
                  "images":[%14$s]}}
                """.formatted(name, uid("Node", n), 100 + n, "abc".charAt(n % 3), n % 10 == 0 ? "infra" : "worker",
                n % 256, n / 256, nodeIp(n), sha(n, 6).substring(0, 17), nodeIp(n).replace('.', '-'),
                sha(n, 7).substring(0, 32), uid("SystemUUID", n), uid("Boot", n), images);
    }

    /** An Admin ClusterNetworkPolicy denying egress to the metadata service, then a nodes peer rule. */
    static String clusterPolicyJson(int c) {
        String name = "cnp" + c;
        return """
                {"apiVersion":"policy.networking.k8s.io/v1alpha2","kind":"ClusterNetworkPolicy","metadata":{"name":"%s",
                 "uid":"%s","resourceVersion":"%d","generation":2,"creationTimestamp":"2026-11-04T10:00:00Z",
                 "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}\\n"},
                 "managedFields":[{"manager":"kubectl-client-side-apply","operation":"Update",
                  "apiVersion":"policy.networking.k8s.io/v1alpha2","time":"2026-11-04T10:00:00Z","fieldsType":"FieldsV1",
                  "fieldsV1":{"f:spec":{".":{},"f:egress":{},"f:priority":{},"f:subject":{},"f:tier":{}}}},
                  {"manager":"weir","operation":"Update","apiVersion":"policy.networking.k8s.io/v1alpha2",
                  "time":"2026-11-04T10:00:01Z","fieldsType":"FieldsV1","subresource":"status",
                  "fieldsV1":{"f:status":{"f:conditions":{}}}}]},
                 "spec":{"tier":"Admin","priority":%d,"subject":{"namespaces":{"matchLabels":{"env":"prod"}}},
                  "egress":[{"name":"deny-metadata","action":"Deny","to":[{"networks":["169.254.169.254/32"]}]},
                   {"name":"kubelet","action":"Accept","to":[{"nodes":{"matchLabels":{"role":"worker"}}}],
                    "protocols":[{"tcp":{"destinationPort":{"number":10250}}}]}]},
                 "status":{"conditions":[{"type":"Accepted","status":"True","reason":"Accepted","message":"enforced",
                  "lastTransitionTime":"2026-11-04T10:00:01Z","observedGeneration":2}]}}
                """.formatted(name, uid("ClusterNetworkPolicy", c), 400_000 + c, 10 + c);
    }

    static List<Namespace> namespaces(int count) {
        List<Namespace> out = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            out.add(parse(namespaceJson(n), Namespace.class));
        }
        return out;
    }

    static List<Node> nodes(int count) {
        List<Node> out = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            out.add(parse(nodeJson(n), Node.class));
        }
        return out;
    }

    public static Pod pod(int i, int namespaces, int nodes) {
        int node = i % nodes;
        return parse(podJson(i, namespaces, "n" + node, nodeIp(node)), Pod.class);
    }

    public static NetworkPolicy policy(int p, int namespaces) {
        return parse(policyJson(p, namespaces), NetworkPolicy.class);
    }
}
