package dev.weir.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.explain.PortProtocol;
import dev.weir.explain.TruthTable;
import dev.weir.explain.TruthTableJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weir lab demo}, the README's main command, end to end on the worked example ({@code examples/}): the packets
 * of every step equal tables written out here by hand from the policies (not computed by explain), and the lab is
 * gone afterwards.
 */
class LabDemoTest {

    static final List<String> PODS = List.of("dev/myapp-1", "dev/myapp-2", "dev/other", "prod/myapp-1",
            "prod/myapp-2", "prod/other");

    /** Rows are sources, columns destinations, in {@link #PODS} order; a pod always reaches itself. */
    static final List<String> EXPECTED = List.of(
            // 1: no policy
            """
            . . . . . .
            . . . . . .
            . . . . . .
            . . . . . .
            . . . . . .
            . . . . . .""",
            // 2: deny-all-ingress in dev: nothing enters a dev pod
            """
            . X X . . .
            X . X . . .
            X X . . . .
            X X X . . .
            X X X . . .
            X X X . . .""",
            // 3: + allow-80-ingress: dev's myapp pods accept 10.244.0.0/16 except 10.244.1.2 (dev/myapp-1)
            """
            . X X . . .
            . . X . . .
            . . . . . .
            . . X . . .
            . . X . . .
            . . X . . .""",
            // 4: + deny-all-egress in prod: nothing leaves a prod pod
            """
            . X X . . .
            . . X . . .
            . . . . . .
            X X X . X X
            X X X X . X
            X X X X X .""");

    @TempDir
    Path dir;
    LabFixture lab;

    @AfterEach
    void down() {
        if (lab != null) {
            lab.down();
        }
    }

    @Test
    void theDemoShowsEachStepOfTheWorkedExampleAsTheSpecSaysAndLeavesNothingBehind() throws Exception {
        LabFixture.assumeLabCanRun();
        lab = new LabFixture(dir.resolve("state"));
        Path saved = dir.resolve("tables");

        long t0 = System.nanoTime();
        LabFixture.Run demo = lab.weir(List.of("lab", "demo", "-f", Path.of("..", "examples", "cluster.yaml")
                .toString(), "--state-dir", dir.resolve("state").toString(), "--prefix", LabFixture.PREFIX,
                "--api-port", "0", "--agent-http-base", "19700", "--save", saved.toString()));
        System.out.printf("demo: %d ms%n", (System.nanoTime() - t0) / 1_000_000);

        assertThat(demo.code()).as(demo.output()).isZero();
        assertThat(demo.output()).contains("== step 4: + deny-all-egress.yaml",
                "agreed with explain in every cell of every step");
        for (int step = 1; step <= 4; step++) {
            TruthTable probed = TruthTableJson.read(Files.readString(saved.resolve("step-" + step + "-probed.json")));
            for (PortProtocol target : List.of(PortProtocol.tcp(80), PortProtocol.tcp(443))) {
                assertThat(matrix(probed, target)).as("step %d %s", step, target).isEqualTo(EXPECTED.get(step - 1));
            }
        }
        assertThat(LabFixture.leftoverNetns()).isEmpty();
        assertThat(Files.exists(lab.store().stateFile())).isFalse();
    }

    private static String matrix(TruthTable t, PortProtocol target) {
        StringBuilder b = new StringBuilder();
        for (String from : PODS) {
            if (!b.isEmpty()) {
                b.append('\n');
            }
            b.append(String.join(" ", PODS.stream()
                    .map(to -> t.cell(from, to, target).orElseThrow().allowed() ? "." : "X").toList()));
        }
        return b.toString();
    }
}
