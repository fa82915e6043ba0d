package dev.weir.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PatchedMapTest {

    @Test
    void behavesAsATreeMapThroughRandomChangesAndSnapshots() {
        Random random = new Random(14);
        PatchedMap<Integer> patched = new PatchedMap<>();
        TreeMap<String, Integer> reference = new TreeMap<>();
        List<SortedMap<String, Integer>> snapshots = new ArrayList<>();
        List<Map<String, Integer>> expected = new ArrayList<>();
        for (int step = 0; step < 20_000; step++) {
            String key = "k" + random.nextInt(step < 10_000 ? 3_000 : 300);
            if (random.nextInt(3) == 0) {
                assertThat(patched.remove(key)).isEqualTo(reference.remove(key));
            } else {
                int value = random.nextInt(5);
                assertThat(patched.put(key, value)).isEqualTo(reference.put(key, value));
            }
            assertThat(patched.get(key)).isEqualTo(reference.get(key));
            assertThat(patched.size()).isEqualTo(reference.size());
            if (step % 997 == 0) {
                snapshots.add(patched.snapshot());
                expected.add(new TreeMap<>(reference));
            }
        }
        assertThat(patched.snapshot()).isEqualTo(reference);
        assertThat(List.copyOf(patched.snapshot().keySet())).containsExactlyElementsOf(reference.keySet());
        // snapshots share arrays that later changes never write
        for (int i = 0; i < snapshots.size(); i++) {
            assertThat(snapshots.get(i)).isEqualTo(expected.get(i));
            assertThat(snapshots.get(i).hashCode()).isEqualTo(expected.get(i).hashCode());
        }
    }

    @Test
    void keepsTheFirstKeyInstanceSoIndexesShareOneString() {
        PatchedMap<Integer> m = new PatchedMap<>();
        String first = new String("ns/pod");
        m.put(first, 1);
        for (int i = 0; i < 10; i++) {
            m.put("other" + i, i); // merges the patch into the arrays
        }
        m.put(new String("ns/pod"), 2);
        assertThat(m.heldKey("ns/pod")).isSameAs(first);
        assertThat(m.snapshot().keyList().get(0)).isSameAs(first);
    }

    @Test
    void aSnapshotIsAnImmutableSortedMapWithRanges() {
        PatchedMap<String> m = new PatchedMap<>();
        for (String k : List.of("d", "b", "a", "c", "e")) {
            m.put(k, k.toUpperCase());
        }
        SortedMap<String, String> s = m.snapshot();
        assertThat(s.firstKey()).isEqualTo("a");
        assertThat(s.lastKey()).isEqualTo("e");
        assertThat(s.subMap("b", "d")).containsExactly(Map.entry("b", "B"), Map.entry("c", "C"));
        assertThat(s.headMap("c").keySet()).containsExactly("a", "b");
        assertThat(s.tailMap("cc").keySet()).containsExactly("d", "e");
        assertThat(s.get(42)).isNull();
        assertThatThrownBy(() -> s.put("f", "F")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> s.remove("a")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> s.entrySet().iterator().next().setValue("x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
