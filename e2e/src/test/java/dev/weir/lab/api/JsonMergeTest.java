package dev.weir.lab.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

class JsonMergeTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("a value replaces", "{\"a\":\"b\"}", "{\"a\":\"c\"}", "{\"a\":\"c\"}"),
                Arguments.of("a new key is added", "{\"a\":\"b\"}", "{\"b\":\"c\"}", "{\"a\":\"b\",\"b\":\"c\"}"),
                Arguments.of("null removes", "{\"a\":\"b\",\"b\":\"c\"}", "{\"a\":null}", "{\"b\":\"c\"}"),
                Arguments.of("a list is replaced, not appended", "{\"a\":[1,2]}", "{\"a\":[3]}", "{\"a\":[3]}"),
                Arguments.of("objects merge recursively", "{\"m\":{\"l\":{\"x\":\"1\"}}}",
                        "{\"m\":{\"l\":{\"y\":\"2\"}}}", "{\"m\":{\"l\":{\"x\":\"1\",\"y\":\"2\"}}}"),
                Arguments.of("strategic directives are ignored", "{\"spec\":{\"a\":1}}",
                        "{\"$setElementOrder/ingress\":[{}],\"spec\":{\"$retainKeys\":[\"a\"],\"a\":2}}",
                        "{\"spec\":{\"a\":2}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void mergesLikeRfc7386(String name, String target, String patch, String expected) {
        var p = JsonMerge.stripDirectives(JSON.readTree(patch));

        assertThat(JsonMerge.merge(JSON.readTree(target), p)).isEqualTo(JSON.readTree(expected));
    }
}
