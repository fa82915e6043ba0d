package dev.weir.lab.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which processes live in which named network namespace: one pass over {@code /proc/PID/ns/net} (what
 * {@code ip netns pids} does per namespace, here for all at once). A process keeps its namespace alive after
 * {@code ip netns del}, so these must be stopped for a namespace to really go.
 */
public final class NetnsProcesses {

    private NetnsProcesses() {
    }

    /** Pids by namespace name, for the given names (missing namespaces are skipped). */
    public static Map<String, List<Long>> in(List<String> names) {
        Map<String, String> byInode = new HashMap<>();
        for (String name : names) {
            try {
                Object ino = Files.getAttribute(Path.of("/run/netns", name), "unix:ino");
                byInode.put("net:[" + ino + "]", name);
            } catch (IOException | UnsupportedOperationException e) {
                // gone already
            }
        }
        Map<String, List<Long>> out = new HashMap<>();
        if (byInode.isEmpty()) {
            return out;
        }
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                try {
                    String link = Files.readSymbolicLink(p.resolve("ns/net")).toString();
                    String name = byInode.get(link);
                    if (name != null) {
                        out.computeIfAbsent(name, k -> new ArrayList<>()).add(Long.parseLong(p.getFileName()
                                .toString()));
                    }
                } catch (IOException | NumberFormatException e) {
                    // exited meanwhile, or a kernel thread
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list /proc", e);
        }
        return out;
    }
}
