package dev.weir.lab;

import dev.weir.lab.state.LabState;
import dev.weir.lab.state.StateStore;
import dev.weir.lab.sys.CommandRunner;
import dev.weir.lab.sys.NetnsProcesses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code weir lab down}: stops the daemon and every process it recorded, deletes every recorded network namespace and,
 * as a last resort, every namespace with the lab's prefix (killing whatever still runs in it first: a process inside a
 * namespace keeps it alive after {@code ip netns del}). Works from the state directory alone, so a crashed or killed
 * daemon is cleaned up the same way as a running one. Links need no separate step: every lab link lives inside a lab
 * namespace and goes with it.
 */
public final class LabTeardown {

    private final StateStore store;
    private final CommandRunner runner;

    public LabTeardown(StateStore store, CommandRunner runner) {
        this.store = store;
        this.runner = runner;
    }

    /** Returns one line per thing removed. {@code prefix} is used when the state file is missing or unreadable. */
    public List<String> down(String fallbackPrefix) {
        List<String> report = new ArrayList<>();
        Optional<LabState> state = Optional.empty();
        try {
            state = store.read();
        } catch (RuntimeException e) {
            report.add("state file unreadable (" + e.getMessage() + "): sweeping by prefix");
        }
        String prefix = state.map(LabState::prefix).orElse(fallbackPrefix);

        Set<Long> daemons = new LinkedHashSet<>();
        state.ifPresent(s -> daemons.add(s.daemonPid()));
        pidFile().ifPresent(daemons::add);
        for (long pid : daemons) {
            if (stop(pid, "lab")) {
                report.add("stopped lab daemon " + pid);
            }
        }
        // the daemon's children (agents, SCTP servers) all at once: each may take a while to exit
        List<ProcessHandle> children = new ArrayList<>();
        for (long pid : state.map(LabState::pids).orElse(List.of())) {
            signal(pid, "ncat", "dev.weir").ifPresent(children::add);
        }
        awaitOrKill(children);
        children.forEach(h -> report.add("stopped process " + h.pid()));

        Set<String> netns = new LinkedHashSet<>();
        state.ifPresent(s -> {
            List<String> recorded = new ArrayList<>(s.netns());
            Collections.reverse(recorded);
            netns.addAll(recorded);
        });
        netns.addAll(existingWithPrefix(prefix));
        List<String> present = netns.stream().filter(n -> Files.exists(Path.of("/run/netns", n))).toList();
        NetnsProcesses.in(present).forEach((name, pids) -> pids.forEach(pid -> {
            if (pid != ProcessHandle.current().pid() && stop(pid)) {
                report.add("stopped process " + pid + " left in " + name);
            }
        }));
        if (!present.isEmpty()) {
            StringBuilder batch = new StringBuilder();
            present.forEach(n -> batch.append("netns del ").append(n).append('\n'));
            runner.run(List.of("ip", "-force", "-batch", "-"), batch.toString());
        }
        int deleted = 0;
        for (String name : present) {
            if (Files.exists(Path.of("/run/netns", name))) {
                report.add("could not delete network namespace " + name);
            } else {
                deleted++;
            }
        }
        report.add("deleted " + deleted + " network namespaces");
        for (Path f : List.of(store.stateFile(), store.kubeconfig(), store.pidFile(), LabFiles.requestFile(store))) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                report.add("could not remove " + f + ": " + e.getMessage());
            }
        }
        return report;
    }

    /** Network namespaces whose name starts with {@code prefix}. */
    public List<String> existingWithPrefix(String prefix) {
        CommandRunner.Result r = runner.run(List.of("ip", "netns", "list"), null);
        List<String> out = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            String name = line.strip().split("\\s+")[0];
            if (!name.isEmpty() && name.startsWith(prefix)) {
                out.add(name);
            }
        }
        return out;
    }

    /** /proc/PID/cmdline as one line (ProcessHandle.Info gives up on long command lines such as a class path). */
    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private Optional<Long> pidFile() {
        try {
            return Optional.of(Long.parseLong(Files.readString(store.pidFile()).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Stops one process (TERM, then KILL after 5 s); see {@link #signal} for {@code mustMention}. */
    private static boolean stop(long pid, String... mustMention) {
        Optional<ProcessHandle> h = signal(pid, mustMention);
        h.ifPresent(p -> awaitOrKill(List.of(p)));
        return h.isPresent();
    }

    /**
     * Sends TERM to a live process. With {@code mustMention}, only if its command line mentions one of them: a pid from
     * an old state file may belong to someone else by now.
     */
    private static Optional<ProcessHandle> signal(long pid, String... mustMention) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive() || pid == ProcessHandle.current().pid()) {
            return Optional.empty();
        }
        String cmd = mustMention.length == 0 ? "" : commandLine(pid);
        if (mustMention.length > 0 && Arrays.stream(mustMention).noneMatch(cmd::contains)) {
            return Optional.empty();
        }
        h.get().destroy();
        return h;
    }

    /** Waits up to 5 s in all for the processes to exit, then KILLs the rest (the netns sweep catches stragglers). */
    private static void awaitOrKill(List<ProcessHandle> processes) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (ProcessHandle h : processes) {
            try {
                h.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
    }
}
