package dev.weir.explain;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Chromium without a screen, for tests of the HTML page: {@code --dump-dom} returns the document after its scripts
 * ran, {@code --screenshot} a picture. Debian's {@code chromium} package ({@code .ci/deps browser} installs it).
 * {@code --no-sandbox} because the tests may run as root, where Chromium refuses its sandbox; the page is our own.
 */
final class HeadlessChromium {

    private static final List<String> NAMES = List.of("chromium", "chromium-browser");
    private static final long TIMEOUT_SECONDS = 60;

    private final Path binary;
    private final Path profile;

    private HeadlessChromium(Path binary, Path profile) {
        this.binary = binary;
        this.profile = profile;
    }

    /** The browser on PATH, with a fresh profile under {@code scratch}; empty when none is installed. */
    static Optional<HeadlessChromium> find(Path scratch) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : NAMES) {
                Path p = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(new HeadlessChromium(p, scratch.resolve("chromium-profile")));
                }
            }
        }
        return Optional.empty();
    }

    /** The serialized DOM of {@code page} opened with {@code #fragment}, after its scripts ran. */
    String dumpDom(Path page, String fragment) throws IOException, InterruptedException {
        return run(List.of("--dump-dom", url(page, fragment)));
    }

    /** A PNG of the page's first {@code width}×{@code height} pixels. */
    void screenshot(Path page, String fragment, Path png, int width, int height)
            throws IOException, InterruptedException {
        run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
                "--hide-scrollbars", url(page, fragment)));
        if (!Files.isRegularFile(png)) {
            throw new IOException("chromium wrote no screenshot to " + png);
        }
    }

    private String run(List<String> args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(binary.toString(), "--headless", "--disable-gpu", "--no-sandbox",
                "--no-first-run", "--disable-extensions", "--user-data-dir=" + profile));
        argv.addAll(args);
        // files, not pipes: nothing to drain, so the timeout holds even if the browser stalls
        Path out = Files.createTempFile(profile.getParent(), "chromium", ".out");
        Path log = Files.createTempFile(profile.getParent(), "chromium", ".log");
        Process p = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(log.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new IOException("chromium did not finish in " + TIMEOUT_SECONDS + " s: " + argv);
        }
        if (p.exitValue() != 0) {
            throw new IOException("chromium exited " + p.exitValue() + ": " + argv + "\n" + Files.readString(log));
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static String url(Path page, String fragment) {
        return page.toAbsolutePath().toUri() + (fragment.isEmpty() ? "" : "#" + fragment);
    }
}
