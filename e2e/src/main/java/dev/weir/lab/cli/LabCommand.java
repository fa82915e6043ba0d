package dev.weir.lab.cli;

import dev.weir.cli.Args;
import dev.weir.cli.Command;
import dev.weir.cli.Main;
import dev.weir.lab.LabDaemon;
import dev.weir.lab.LabRequest;
import dev.weir.lab.LabTeardown;
import dev.weir.lab.state.StateStore;
import dev.weir.lab.sys.ProcessRunner;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code weir lab VERB}: a cluster on this machine from network namespaces, an embedded API server and real agents. */
public final class LabCommand implements Command {

    static final Set<String> STATE_FLAGS = Set.of("--state-dir");

    @Override
    public String name() {
        return "lab";
    }

    @Override
    public String summary() {
        return "a multi-node cluster in network namespaces on this machine (up, probe, status, down, kubectl)";
    }

    @Override
    public String usage() {
        return """
                usage: weir lab VERB [FLAGS]   (root; state in --state-dir, $WEIR_LAB_DIR or /var/run/weir-lab)

                  up [--nodes 2] [--topology flannel|canal] [--backend vxlan|host-gw] [-f cluster.yaml]
                     [--api-port 18443] [--agents auto|none|process|in-process] [--prefix wl-]
                     [--agent-http-base 19100]  (agent on node i serves /healthz, /readyz, /metrics on base+i)
                                 build the lab, start its daemon (API server, pod servers, agents), wait until ready
                  status [-o json]
                                 nodes, pods with IPs and nodes, API server, agent health
                  probe [--ports 80,81] [--protocols tcp,udp,sctp] [-o text|json] [--compare]
                        [--parallel 24] [--timeout 1000ms]
                                 real packets from every pod to every pod; prints the truth table of weir explain
                  demo [-f examples/cluster.yaml] [--topology ...] [--agents in-process] [--timeout 300ms]
                       [--settle 15s] [--save DIR]
                                 up -f cluster.yaml; no policy, then deny-all-ingress, allow-80-ingress,
                                 deny-all-egress from the same directory, each with kubectl apply; after each the
                                 probed and explain's matrices; down (also on failure/Ctrl-C); exit 1 on any difference
                  kubeconfig     prints the path of the lab's kubeconfig
                  kubectl ARGS...
                                 kubectl with --kubeconfig filled in (and --validate=false for apply/create)
                  apply -f FILE | delete -f FILE | label KIND NAME [-n NS] KEY=VALUE|KEY- ...
                                 the same through fabric8, where kubectl is missing
                  down [--prefix wl-]
                                 stop everything and delete every lab namespace (works after a crash too)
                  serve          the daemon itself (started by up)
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Main.UsageException.check(!args.isEmpty(), "which verb?");
        String verb = args.get(0);
        List<String> rest = args.subList(1, args.size());
        return switch (verb) {
            case "up" -> new LabUp().run(rest, out, err);
            case "serve" -> {
                StateStore store = StateStore.resolve(parse(rest, Set.of()).value("--state-dir"));
                LabSupport.requireRoot();
                yield LabDaemon.serve(store);
            }
            case "down" -> down(rest, out);
            case "status" -> new LabStatus().run(rest, out);
            case "kubeconfig" -> {
                StateStore store = StateStore.resolve(parse(rest, Set.of()).value("--state-dir"));
                Main.UsageException.check(Files.exists(store.kubeconfig()),
                        "no lab kubeconfig in %s (is the lab up?)", store.dir());
                out.println(store.kubeconfig());
                yield 0;
            }
            case "probe" -> new LabProbe().run(rest, out, err);
            case "demo" -> new LabDemo().run(rest, out, err);
            case "kubectl" -> LabKubectl.kubectl(rest, err);
            case "apply", "delete", "label" -> LabKubectl.fabric8(verb, rest, out);
            default -> throw new Main.UsageException("unknown verb \"" + verb + "\"");
        };
    }

    private static int down(List<String> rest, PrintStream out) {
        Args a = parse(rest, Set.of("--prefix"));
        LabSupport.requireRoot();
        StateStore store = StateStore.resolve(a.value("--state-dir"));
        List<String> report = new LabTeardown(store, new ProcessRunner())
                .down(a.value("--prefix", LabRequest.DEFAULT_PREFIX));
        report.forEach(out::println);
        return 0;
    }

    static Args parse(List<String> args, Set<String> valued) {
        Set<String> all = new HashSet<>(valued);
        all.addAll(STATE_FLAGS);
        return Args.parse(args, all, Set.of());
    }
}
