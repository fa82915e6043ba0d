package dev.weir.iptables.apply;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * A {@link CommandRunner} for unit tests: records every call, answers from a scripted function (default: exit 0 with
 * no output), and can be told to fail the next call(s). Not thread-safe; one test drives it.
 */
public final class RecordingCommandRunner implements CommandRunner {

    /** One recorded call. */
    public record Call(List<String> argv, String stdin) {

        /** The command line joined with spaces, for readable assertions. */
        public String line() {
            return String.join(" ", argv);
        }
    }

    private final List<Call> calls = new ArrayList<>();
    private final Deque<Result> failures = new ArrayDeque<>();
    private Function<Call, Result> responder = c -> result(c, 0, "", "");

    /** Answers every later call with {@code responder} (e.g. canned {@code iptables-save} output). */
    public RecordingCommandRunner respond(Function<Call, Result> responder) {
        this.responder = responder;
        return this;
    }

    /** Makes the next call (after any already queued failures) exit with {@code exitCode} and {@code stderr}. */
    public RecordingCommandRunner failNext(int exitCode, String stderr) {
        failures.add(new Result(List.of(), exitCode, "", stderr, Duration.ZERO));
        return this;
    }

    @Override
    public Result run(List<String> argv, String stdin) {
        Call call = new Call(List.copyOf(argv), stdin);
        calls.add(call);
        Result fail = failures.poll();
        if (fail != null) {
            return new Result(argv, fail.exitCode(), "", fail.stderr(), Duration.ZERO);
        }
        return responder.apply(call);
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Command lines of the recorded calls, in order. */
    public List<String> lines() {
        return calls.stream().map(Call::line).toList();
    }

    public void clear() {
        calls.clear();
    }

    /** A result for {@code call} with the given exit code and output. */
    public static Result result(Call call, int exitCode, String stdout, String stderr) {
        return new Result(call.argv(), exitCode, stdout, stderr, Duration.ZERO);
    }
}
