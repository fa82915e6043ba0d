package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.status.ClusterObjects;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterObjectsTest {

    @TempDir
    Path dir;

    @Test
    void listsFollowTheContinueToken() throws Exception {
        try (MockApi api = new MockApi(dir)) {
            api.server().expect().get().withPath("/api/v1/nodes?limit=500").andReturn(200, """
                    {"kind":"NodeList","apiVersion":"v1","metadata":{"continue":"page2"},
                     "items":[{"metadata":{"name":"n1"}}]}""").once();
            api.server().expect().get().withPath("/api/v1/nodes?continue=page2&limit=500").andReturn(200, """
                    {"kind":"NodeList","apiVersion":"v1","metadata":{},
                     "items":[{"metadata":{"name":"n2"}}]}""").once();

            ClusterObjects read = ClusterObjects.read(api.client(), true);

            assertThat(read.nodes()).extracting(n -> n.getMetadata().getName()).containsExactly("n1", "n2");
            assertThat(read.notes()).isEmpty();
        }
    }
}
