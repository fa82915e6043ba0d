package dev.weir.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The one writer of the CRDs: fabric8's CRDGenerator over the Java types, plus the two facts it cannot take from
 * them, applied as its post-processing step: the list kind, and the printer columns in the order the class declares
 * them (the generator sorts them by path).
 */
final class CrdGeneration {

    private CrdGeneration() {
    }

    /** The generated ClusterNetworkPolicy CRD YAML, as {@code kubectl apply -f crds/} and the chart install it. */
    static String generate() {
        return generate(ClusterNetworkPolicy.class, ClusterNetworkPolicy.CRD_NAME);
    }

    /** The generated CRD YAML of {@code type}, whose CRD is named {@code crdName}. */
    static String generate(Class<? extends CustomResource<?, ?>> type, String crdName) {
        try {
            Path dir = Files.createTempDirectory("weir-crd");
            try {
                new CRDGenerator().inOutputDir(dir.toFile()).forCRDVersions("v1")
                        .customResourceClasses(type)
                        .withPostProcessor(new CRDPostProcessor() {
                            @Override
                            public HasMetadata process(HasMetadata crd, String version) {
                                return complete((CustomResourceDefinition) crd, type);
                            }
                        })
                        .generate();
                return Files.readString(dir.resolve(crdName + "-v1.yml"));
            } finally {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                }
                Files.delete(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HasMetadata complete(CustomResourceDefinition crd, Class<?> type) {
        var names = crd.getSpec().getNames();
        names.setListKind(names.getKind() + "List");
        List<String> declared = Stream.of(type.getAnnotationsByType(AdditionalPrinterColumn.class))
                .map(AdditionalPrinterColumn::jsonPath).toList();
        crd.getSpec().getVersions().forEach(v -> v.getAdditionalPrinterColumns()
                .sort(Comparator.comparing((CustomResourceColumnDefinition c) -> declared.indexOf(c.getJsonPath()))));
        return crd;
    }
}
