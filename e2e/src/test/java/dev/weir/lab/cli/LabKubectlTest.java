package dev.weir.lab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LabKubectlTest {

    static Stream<Arguments> kubectlArgs() {
        return Stream.of(
                Arguments.of("apply gets --validate=false", List.of("apply", "-f", "np.yaml"),
                        List.of("apply", "--validate=false", "-f", "np.yaml")),
                Arguments.of("create too", List.of("create", "-f", "-"), List.of("create", "--validate=false", "-f",
                        "-")),
                Arguments.of("an explicit --validate is kept", List.of("apply", "--validate=strict", "-f", "x"),
                        List.of("apply", "--validate=strict", "-f", "x")),
                Arguments.of("reads are untouched", List.of("get", "pods", "-A"), List.of("get", "pods", "-A")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kubectlArgs")
    void writesSkipOpenApiValidationWhichTheMockCannotServe(String name, List<String> in, List<String> out) {
        assertThat(LabKubectl.withValidateOff(in)).isEqualTo(out);
    }
}
