package dev.weir.iptables.kernel;

import dev.weir.iptables.apply.CommandRunner;
import java.util.ArrayList;
import java.util.List;

/** Passes commands to a real runner and records their command lines, so a kernel test can say what ran. */
final class TapRunner implements CommandRunner {

    private final CommandRunner delegate;
    private final List<String> lines = new ArrayList<>();

    TapRunner(CommandRunner delegate) {
        this.delegate = delegate;
    }

    @Override
    public Result run(List<String> argv, String stdin) {
        lines.add(String.join(" ", argv));
        return delegate.run(argv, stdin);
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    void clear() {
        lines.clear();
    }
}
