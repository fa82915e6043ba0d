package dev.weir.lab.conformance;

import dev.weir.lab.state.LabState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Waits, before an observation that follows writes to the API server, until every agent has applied a sync holding
 * those writes and has been idle since: its {@code weir_event_to_apply_seconds_count} (one per change event, counted
 * when the sync that drained it has applied) has grown past its value before the first write and has not moved for
 * {@link #QUIET}. For agents that converge slower than the packets show: where an old and a new ruleset both drop a
 * probe, the packets agree at once, but the drop's denial record would name the old policy. The in-process agents
 * (100 ms minimum sync, a warm JVM) do not need it; the image agents (the chart's 500 ms, a JVM capped at one CPU) do.
 */
final class AgentQuiescence {

    /** Longer than the chart's minimum sync interval (500 ms): a pending event is synced within it. */
    static final Duration QUIET = Duration.ofMillis(800);
    static final Duration LIMIT = Duration.ofSeconds(15);

    private final List<LabState.AgentInfo> agents;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private Map<String, Long> before;

    AgentQuiescence(List<LabState.AgentInfo> agents) {
        this.agents = List.copyOf(agents);
    }

    /** Before a write: remembers the counts, once per batch of writes. */
    void beforeWrite() {
        if (before == null) {
            before = counts();
        }
    }

    /** Before an observation: waits (at most {@link #LIMIT}) if there were writes since the last one. */
    void awaitApplied() {
        if (before == null) {
            return;
        }
        long deadline = System.nanoTime() + LIMIT.toNanos();
        Map<String, Long> last = counts();
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            sleep(100);
            Map<String, Long> now = counts();
            if (!now.equals(last)) {
                last = now;
                stableSince = System.nanoTime();
            }
            boolean grew = before.entrySet().stream().allMatch(e -> now.getOrDefault(e.getKey(), -1L) > e.getValue());
            if (grew && System.nanoTime() - stableSince >= QUIET.toNanos()) {
                break;
            }
        }
        before = null;
    }

    private Map<String, Long> counts() {
        Map<String, Long> out = new HashMap<>();
        for (LabState.AgentInfo a : agents) {
            try {
                String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.httpPort()
                        + "/metrics")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString())
                        .body();
                body.lines().filter(l -> l.startsWith("weir_event_to_apply_seconds_count")).findFirst()
                        .ifPresent(l -> out.put(a.node(), (long) Double.parseDouble(l.substring(l.lastIndexOf(' ')
                                + 1))));
            } catch (Exception e) {
                out.put(a.node(), -1L);
            }
        }
        return out;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
