package dev.weir.agent.metrics;

import java.util.Arrays;

/**
 * A Prometheus histogram with fixed upper bounds (seconds). Buckets are cumulative when written, as the format wants;
 * internally each observation lands in one slot. Guarded by its own monitor: observations are rare (per sync) and a
 * scrape must see count, sum and buckets agree.
 */
public final class Histogram implements Metric {

    /** 1 ms to 60 s, roughly ×2.5 steps: sync and apply times of a node agent. */
    public static final double[] SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
        30, 60};

    private final String name;
    private final String help;
    private final double[] bounds;
    private final long[] slots;
    private long count;
    private double sum;

    public Histogram(String name, String help, double[] bounds) {
        this.name = name;
        this.help = help;
        this.bounds = bounds.clone();
        for (int i = 1; i < this.bounds.length; i++) {
            if (this.bounds[i] <= this.bounds[i - 1]) {
                throw new IllegalArgumentException("histogram bounds must increase: " + Arrays.toString(bounds));
            }
        }
        this.slots = new long[bounds.length + 1];
    }

    public synchronized void observe(double seconds) {
        int i = 0;
        while (i < bounds.length && seconds > bounds[i]) {
            i++;
        }
        slots[i]++;
        count++;
        sum += seconds;
    }

    public void observeNanos(long nanos) {
        observe(nanos / 1e9);
    }

    public synchronized long count() {
        return count;
    }

    public synchronized double sum() {
        return sum;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String help() {
        return help;
    }

    @Override
    public synchronized void writeTo(StringBuilder out) {
        Metric.header(out, name, help, "histogram");
        long cumulative = 0;
        for (int i = 0; i < bounds.length; i++) {
            cumulative += slots[i];
            out.append(name).append("_bucket{le=\"").append(Metric.number(bounds[i])).append("\"} ")
                    .append(cumulative).append('\n');
        }
        out.append(name).append("_bucket{le=\"+Inf\"} ").append(count).append('\n');
        out.append(name).append("_sum ").append(Metric.number(sum)).append('\n');
        out.append(name).append("_count ").append(count).append('\n');
    }
}
