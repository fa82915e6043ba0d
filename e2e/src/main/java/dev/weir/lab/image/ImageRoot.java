package dev.weir.lab.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * An image as {@code images/build} leaves it: the unpacked root filesystem ({@code rootfs/}) and the image config
 * ({@code config.json}, the OCI config blob: entrypoint, command, environment).
 *
 * @param rootfs     the root filesystem directory
 * @param entrypoint the image's ENTRYPOINT
 * @param cmd        the image's CMD
 * @param env        the image's ENV, in order
 */
public record ImageRoot(Path rootfs, List<String> entrypoint, List<String> cmd, Map<String, String> env) {

    public ImageRoot {
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }

    /** Reads {@code dir} (default {@code images/target}); fails saying how to build it when it is not there. */
    public static ImageRoot read(Path dir) throws IOException {
        Path config = dir.resolve("config.json");
        Path rootfs = dir.resolve("rootfs");
        if (!Files.isRegularFile(config) || !Files.isDirectory(rootfs.resolve("usr"))) {
            throw new IllegalArgumentException("no image at " + dir + " (config.json and rootfs/): build it with "
                    + "images/build (as root, needs mmdebstrap), or pass --image DIR");
        }
        JsonNode c = new ObjectMapper().readTree(Files.readString(config)).path("config");
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : c.path("Env")) {
            String s = e.asString();
            int eq = s.indexOf('=');
            env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
        }
        return new ImageRoot(rootfs.toAbsolutePath(), strings(c.path("Entrypoint")), strings(c.path("Cmd")), env);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }
}
