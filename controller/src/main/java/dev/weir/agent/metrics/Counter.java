package dev.weir.agent.metrics;

import java.util.concurrent.atomic.LongAdder;

/** A monotonically increasing count ({@code _total} by convention). */
public final class Counter implements Metric {

    private final String name;
    private final String help;
    private final LongAdder value = new LongAdder();

    public Counter(String name, String help) {
        this.name = name;
        this.help = help;
    }

    public void inc() {
        value.increment();
    }

    public long value() {
        return value.sum();
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
        Metric.header(out, name, help, "counter");
        out.append(name).append(' ').append(value.sum()).append('\n');
    }
}
