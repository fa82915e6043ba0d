package dev.weir.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every value the schema accepts has a default in values.yaml and a row in docs/helm.md's values table. */
class ValuesDocumentationTest {

    private static final KubernetesSerialization YAML = new KubernetesSerialization();
    private static final Set<String> HELM_RESERVED = Set.of("global");

    private static Map<String, Object> schema;
    private static Map<String, Object> values;
    private static Set<String> documented;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void read() throws IOException {
        schema = YAML.unmarshal(Files.readString(WeirChart.dir().resolve("values.schema.json")), Map.class);
        values = YAML.unmarshal(Files.readString(WeirChart.dir().resolve("values.yaml")), Map.class);
        String docs = Files.readString(WeirChart.repoRoot().resolve("docs/helm.md"));
        // the rows of the values table only (the RBAC table's `weir.dev` is an API group, not a value)
        int start = docs.indexOf("\n## Values\n");
        int end = docs.indexOf("\n## ", start + 1);
        String table = docs.substring(start, end < 0 ? docs.length() : end);
        documented = Pattern.compile("(?m)^\\| `([A-Za-z.]+)` \\|").matcher(table).results()
                .map(r -> r.group(1)).collect(Collectors.toSet());
    }

    /** Dotted paths of the schema's leaves: objects with their own properties are walked, others are leaves. */
    @SuppressWarnings("unchecked")
    private static List<String> schemaPaths(Map<String, Object> node, String prefix) {
        var paths = new ArrayList<String>();
        if (node.get("$ref") instanceof String ref) {
            node = (Map<String, Object>) ((Map<String, Object>) schema.get("definitions"))
                    .get(ref.substring(ref.lastIndexOf('/') + 1));
        }
        var properties = (Map<String, Object>) node.get("properties");
        if (properties == null) {
            paths.add(prefix);
            return paths;
        }
        properties.forEach((name, child) -> {
            if (!HELM_RESERVED.contains(name)) {
                paths.addAll(schemaPaths((Map<String, Object>) child, prefix.isEmpty() ? name : prefix + "." + name));
            }
        });
        return paths;
    }

    private static boolean coveredBy(String path, Set<String> rows) {
        for (String p = path; ; p = p.substring(0, p.lastIndexOf('.'))) {
            if (rows.contains(p)) {
                return true;
            }
            if (!p.contains(".")) {
                return false;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static boolean hasDefault(String path) {
        Object node = values;
        for (String key : path.split("\\.")) {
            if (!(node instanceof Map<?, ?> map) || !map.containsKey(key)) {
                return false;
            }
            node = ((Map<String, Object>) map).get(key);
        }
        return true;
    }

    @Test
    void everySchemaValueIsInTheDocsTable() {
        assertThat(schemaPaths(schema, "")).isNotEmpty()
                .allSatisfy(path -> assertThat(coveredBy(path, documented)).as("docs/helm.md documents %s", path).isTrue());
    }

    @Test
    void everyDocumentedValueExistsInTheSchema() {
        var paths = schemaPaths(schema, "");

        assertThat(documented).allSatisfy(row -> assertThat(paths)
                .as("docs/helm.md documents %s, which the schema does not accept", row)
                .anySatisfy(path -> assertThat(path.equals(row) || path.startsWith(row + ".")).isTrue()));
    }

    @Test
    void everySchemaValueHasADefaultInValuesYaml() {
        assertThat(schemaPaths(schema, "")).allSatisfy(path ->
                assertThat(hasDefault(path)).as("values.yaml has a default for %s", path).isTrue());
    }
}
