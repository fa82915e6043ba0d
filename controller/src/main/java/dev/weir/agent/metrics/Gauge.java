package dev.weir.agent.metrics;

/** A value that goes up and down; set by its owner. */
public final class Gauge implements Metric {

    private final String name;
    private final String help;
    private volatile double value;

    public Gauge(String name, String help) {
        this.name = name;
        this.help = help;
    }

    public void set(double v) {
        value = v;
    }

    public double value() {
        return value;
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
    public void writeTo(StringBuilder out) {
        Metric.header(out, name, help, "gauge");
        out.append(name).append(' ').append(Metric.number(value)).append('\n');
    }
}
