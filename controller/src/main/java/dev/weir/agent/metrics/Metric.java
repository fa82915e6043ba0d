package dev.weir.agent.metrics;

/**
 * One Prometheus metric family, written by hand in the text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/). Implementations are thread-safe: the sync worker
 * writes, the HTTP thread reads.
 */
public sealed interface Metric permits Counter, Gauge, Histogram {

    String name();

    String help();

    /** Appends {@code # HELP}, {@code # TYPE} and the sample lines. */
    void writeTo(StringBuilder out);

    /** Prometheus' float text: integers without a fraction, {@code +Inf} for infinity. */
    static String number(double v) {
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    static void header(StringBuilder out, String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n"))
                .append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }
}
