package dev.weir.lab.image;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The command that runs an image's root filesystem the way a container runtime runs the chart's agent container, where
 * no runtime can run (here: {@code podman run} fails without CAP_SYS_RESOURCE). Started in the node's network
 * namespace (the pod's hostNetwork), it is {@code unshare --mount --pid --fork} and a shell script that
 *
 * <ol>
 *   <li>mounts the root filesystem as an overlay (the image read-only below, a scratch upper layer for the mount
 *       points, as a runtime's container layer), and {@code /proc}, a read-only {@code /sys} of the node's
 *       namespace, a minimal {@code /dev};</li>
 *   <li>mounts the chart's volumes: each hostPath bind-mounted from the machine (or from the lab's stand-in for that
 *       node, e.g. its CNI cache), created first when the type says {@code OrCreate}, read-only where the mount says
 *       so; each emptyDir as a tmpfs of its size limit; then the lab's own files (the kubeconfig, read-only);</li>
 *   <li>remounts the root read-only when the chart says {@code readOnlyRootFilesystem};</li>
 *   <li>execs the image's entrypoint with the chart's args through {@code capsh}: chroot into the root, the bounding
 *       set cut to the chart's capabilities (so the uid-0 process holds exactly those), no_new_privs when the chart
 *       forbids privilege escalation, and only the image's and the chart's environment ({@code env -i}).</li>
 * </ol>
 *
 * <p>Pure: this class only writes text; {@code ImageAgents} runs it. Not reproduced: seccomp's RuntimeDefault profile,
 * cgroup limits (the JVM is told the limits instead, see {@link #jvmLimits}), a user namespace.
 *
 * @param image        the image
 * @param spec         the chart's agent container
 * @param workDir      this container's scratch directory on the machine (overlay upper, work and mount point)
 * @param hostPaths    chart hostPath → the path the lab gives instead (a node's own files); others are the machine's
 * @param extraFiles   path in the container → file on the machine, bind-mounted read-only (the lab's kubeconfig)
 * @param env          the values of this container: the node name and what the lab adds
 */
public record ContainerScript(ImageRoot image, ChartAgentSpec spec, Path workDir, Map<String, Path> hostPaths,
                              Map<String, Path> extraFiles, Map<String, String> env) {

    /** The first word of the script's command line ({@code $0}): {@code lab down} recognises the process by it. */
    public static final String MARK = "dev.weir.lab.image-agent";

    public ContainerScript {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(workDir, "workDir");
        hostPaths = Map.copyOf(hostPaths);
        extraFiles = new LinkedHashMap<>(extraFiles);
        env = new LinkedHashMap<>(env);
    }

    /** The mount point of the container's root, under {@link #workDir}. */
    public Path root() {
        return workDir.resolve("root");
    }

    /** {@code unshare ... sh -c SCRIPT MARK}: run it with the node's network namespace as the caller's. */
    public List<String> argv() {
        return List.of("unshare", "--mount", "--pid", "--fork", "--kill-child=SIGTERM", "sh", "-c", script(), MARK);
    }

    /**
     * The container's environment, in the order a runtime builds it: the image's ENV, then the chart's (ConfigMap
     * through envFrom, then env), then the downward API's node name, then {@link #env}.
     */
    public Map<String, String> environment() {
        Map<String, String> e = new LinkedHashMap<>(image.env());
        e.putAll(spec.env());
        for (String n : spec.nodeNameEnv()) {
            e.put(n, Objects.requireNonNull(env.get(n), "no value for the node name variable " + n));
        }
        e.putAll(env);
        return e;
    }

    /**
     * What the JVM would read from the container's cgroup, which this run has none of: its memory limit (so that the
     * chart's {@code -XX:MaxRAMPercentage} sizes the heap from it) and its CPU limit (rounded up, as the JVM does). In
     * {@code JDK_JAVA_OPTIONS}, which the {@code java} launcher reads beside the chart's {@code JAVA_TOOL_OPTIONS}.
     */
    public static String jvmLimits(ChartAgentSpec spec) {
        List<String> o = new ArrayList<>();
        if (spec.memoryLimit() > 0) {
            o.add("-XX:MaxRAM=" + spec.memoryLimit());
        }
        if (spec.cpuLimit() > 0) {
            o.add("-XX:ActiveProcessorCount=" + spec.cpuLimit());
        }
        return String.join(" ", o);
    }

    /** The container's process: the image's entrypoint (or the chart's command) resolved in the image's PATH. */
    public List<String> process() {
        List<String> argv = new ArrayList<>(spec.command().isEmpty() ? image.entrypoint() : spec.command());
        argv.addAll(spec.args().isEmpty() && spec.command().isEmpty() ? image.cmd() : spec.args());
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("the image has no entrypoint and the chart no command");
        }
        argv.set(0, resolve(argv.get(0)));
        return argv;
    }

    /** A command name looked up in the image's PATH, inside its root filesystem (links not followed: they are the image's). */
    private String resolve(String command) {
        if (command.startsWith("/")) {
            return command;
        }
        String path = environment().getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : path.split(":")) {
            Path candidate = image.rootfs().resolve(dir.replaceFirst("^/", "")).resolve(command);
            if (Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                return dir + "/" + command;
            }
        }
        throw new IllegalArgumentException(command + " is not in the image's PATH " + path);
    }

    public String script() {
        String root = root().toString();
        StringBuilder s = new StringBuilder();
        s.append("set -eu\n");
        s.append("capsh=$(command -v capsh)\n");
        s.append("mount --make-rprivate /\n");
        s.append("root=").append(q(root)).append('\n');
        s.append("mkdir -p \"$root\" ").append(q(workDir.resolve("upper").toString())).append(' ')
                .append(q(workDir.resolve("work").toString())).append('\n');
        s.append("mount -t overlay weir-image -o ").append(q("lowerdir=" + image.rootfs() + ",upperdir="
                + workDir.resolve("upper") + ",workdir=" + workDir.resolve("work"))).append(" \"$root\"\n");
        s.append("mount -t proc -o nosuid,nodev,noexec proc \"$root/proc\"\n");
        s.append("mount -t sysfs -o ro,nosuid,nodev,noexec sysfs \"$root/sys\"\n");
        s.append("mount -t tmpfs -o nosuid,mode=755,size=64k tmpfs \"$root/dev\"\n");
        s.append("for d in null zero full random urandom tty; do touch \"$root/dev/$d\"; "
                + "mount --bind \"/dev/$d\" \"$root/dev/$d\"; done\n");
        s.append("ln -s /proc/self/fd \"$root/dev/fd\"; ln -s /proc/self/fd/0 \"$root/dev/stdin\"; "
                + "ln -s /proc/self/fd/1 \"$root/dev/stdout\"; ln -s /proc/self/fd/2 \"$root/dev/stderr\"\n");
        s.append("mkdir \"$root/dev/shm\"; mount -t tmpfs -o nosuid,nodev,noexec,size=64m shm \"$root/dev/shm\"\n");
        // a path of the container resolved inside its root, as a runtime does (securejoin): the image's own links
        // (Debian's /var/run -> /run is absolute) must not lead out to the machine's directories
        s.append("inroot() { printf '%s%s' \"$root\" \"$(chroot \"$root\" /usr/bin/realpath -m \"$1\")\"; }\n");
        for (ChartAgentSpec.Mount m : spec.mounts()) {
            String dst = "\"$dst\"";
            s.append("# volume ").append(m.name()).append('\n');
            s.append("dst=$(inroot ").append(q(m.path())).append(")\n");
            if (m.source() instanceof ChartAgentSpec.HostPath h) {
                Path lab = hostPaths.get(h.path());
                String src = q(lab != null ? lab.toString() : h.path());
                if (h.isFile()) {
                    if (h.create()) {
                        s.append("[ -e ").append(src).append(" ] || touch ").append(src).append('\n');
                    }
                    s.append("mkdir -p \"$(dirname ").append(dst).append(")\"; [ -e ").append(dst)
                            .append(" ] || touch ").append(dst).append('\n');
                } else {
                    if (h.create()) {
                        s.append("mkdir -p ").append(src).append('\n');
                    }
                    s.append("mkdir -p ").append(dst).append('\n');
                }
                if (h.type().isEmpty()) {
                    // no type, no check: a runtime (containerd) creates a missing source as an empty directory; an
                    // empty tmpfs is the same to the container and leaves the machine alone
                    s.append("if [ ! -e ").append(src).append(" ]; then echo ").append(q("hostPath " + h.path()
                            + " does not exist here: an empty directory instead, as a runtime would create it"))
                            .append(" >&2; mount -t tmpfs -o size=4k tmpfs ").append(dst).append("; else ");
                }
                s.append("mount --rbind ").append(src).append(' ').append(dst);
                s.append(h.type().isEmpty() ? "; fi\n" : "\n");
                if (m.readOnly()) {
                    s.append("mount -o remount,bind,ro ").append(dst).append('\n');
                }
            } else if (m.source() instanceof ChartAgentSpec.EmptyDir e) {
                s.append("mkdir -p ").append(dst).append('\n');
                s.append("mount -t tmpfs -o ").append(e.sizeLimit() > 0 ? "size=" + e.sizeLimit() + "," : "")
                        .append("nosuid,nodev tmpfs ").append(dst).append('\n');
                if (m.readOnly()) {
                    s.append("mount -o remount,ro ").append(dst).append('\n');
                }
            } else {
                throw new AssertionError(m.source());
            }
        }
        for (Map.Entry<String, Path> f : extraFiles.entrySet()) {
            String dst = "\"$dst\"";
            s.append("# the lab's ").append(f.getKey()).append('\n');
            s.append("dst=$(inroot ").append(q(f.getKey())).append(")\n");
            s.append("mkdir -p \"$(dirname ").append(dst).append(")\"; touch ").append(dst).append('\n');
            s.append("mount --bind ").append(q(f.getValue().toString())).append(' ').append(dst).append('\n');
            s.append("mount -o remount,bind,ro ").append(dst).append('\n');
        }
        if (spec.readOnlyRoot()) {
            s.append("mount -o remount,ro \"$root\"\n");
        }
        List<String> keep = spec.capabilities().stream().map(c -> "cap_" + c.toLowerCase(Locale.ROOT)).toList();
        s.append("drop=$(\"$capsh\" --print | sed -n 's/^Bounding set =//p' | tr , '\\n'");
        if (!keep.isEmpty()) {
            s.append(" | grep -v -x");
            keep.forEach(k -> s.append(" -e ").append(k));
        }
        s.append(" | paste -s -d, -)\n");
        if (spec.runAsUser() != 0) {
            throw new IllegalArgumentException("the chart runs the agent as uid " + spec.runAsUser()
                    + "; the lab runs uid 0 only");
        }
        List<String> process = process();
        s.append("exec env -i");
        environment().forEach((k, v) -> s.append(' ').append(q(k + "=" + v)));
        s.append(" \"$capsh\" --drop=\"$drop\"");
        if (spec.noNewPrivs()) {
            s.append(" --no-new-privs");
        }
        s.append(" --chroot=\"$root\" --shell=").append(q(process.get(0))).append(" --");
        process.subList(1, process.size()).forEach(a -> s.append(' ').append(q(a)));
        s.append('\n');
        return s.toString();
    }

    /** Single-quoted for sh. */
    static String q(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
