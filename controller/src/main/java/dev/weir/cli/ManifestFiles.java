package dev.weir.cli;

import dev.weir.k8s.LoadResult;
import dev.weir.k8s.ManifestLoader;
import dev.weir.model.Diagnostic;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The manifests {@code weir explain} and {@code weir render} read (a picocli mixin): FILE|DIR|- as arguments or, as
 * kubectl takes them, after {@code -f}. Loading them prints the loader's notes and rejected objects on stderr.
 */
final class ManifestFiles {

    @Parameters(paramLabel = "FILE|DIR|-", description = "manifests to read")
    private List<String> files = new ArrayList<>();

    @Option(names = {"-f", "--filename"}, paramLabel = "FILE|DIR|-", description = "manifests to read, as kubectl")
    private List<String> filenames = new ArrayList<>();

    /** Bad usage unless some manifest was named; the command's first check. */
    void requireSome() {
        Main.UsageException.check(!sources().isEmpty(), "give at least one FILE, DIR or - (stdin)");
    }

    /** Reads the manifests ({@code -} from {@code stdin}), saying on {@code err} what was noted and rejected. */
    LoadResult load(InputStream stdin, PrintStream err) {
        return said(ManifestLoader.load(sources(), stdin), err);
    }

    /** Whether any FILE, DIR or - was given. */
    boolean any() {
        return !sources().isEmpty();
    }

    /** Says on {@code err} what loading noted and rejected; returns {@code loaded}. */
    static LoadResult said(LoadResult loaded, PrintStream err) {
        loaded.notes().forEach(n -> err.println("note: " + n));
        for (Diagnostic d : loaded.diagnostics()) {
            err.println("rejected: " + d);
        }
        return loaded;
    }

    private List<String> sources() {
        List<String> sources = new ArrayList<>(filenames);
        sources.addAll(files);
        return sources;
    }
}
