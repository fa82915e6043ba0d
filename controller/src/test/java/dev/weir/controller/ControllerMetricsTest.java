package dev.weir.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ControllerMetricsTest {

    @Test
    void metricsTellHowCloseTheHeapIsToItsLimit() throws Exception {
        System.gc(); // one collection at least, so that the after-GC figure is one
        String body = scrape(new ControllerMetrics());

        long max = gaugeValue(body, "weir_heap_max_bytes");
        long used = gaugeValue(body, "weir_heap_used_after_gc_bytes");
        assertThat(max).isEqualTo(Runtime.getRuntime().maxMemory());
        assertThat(used).isPositive().isLessThan(max);
        assertThat(body).containsPattern("\nweir_heap_used_after_gc_ratio 0\\.[0-9]")
                .contains("Controller memory");
    }

    @Test
    void twoControllersInOneJvmEachExportTheHeap() throws Exception {
        assertThat(scrape(new ControllerMetrics())).contains("\nweir_heap_max_bytes ");
        assertThat(scrape(new ControllerMetrics())).contains("\nweir_heap_max_bytes ");
    }

    private static String scrape(ControllerMetrics metrics) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static long gaugeValue(String body, String name) {
        Matcher m = Pattern.compile("\n" + name + " ([0-9.E+-]+)\n").matcher(body);
        assertThat(m.find()).as(name).isTrue();
        return (long) Double.parseDouble(m.group(1));
    }
}
