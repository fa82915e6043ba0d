package dev.weir.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.model.ObjectKey;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

class IsolationTest {

    @Test
    void anExceptionInATranslatorRejectsThatObjectOnlyAndNamesIt() {
        var pod = new PodBuilder().withNewMetadata().withName("web").withNamespace("dev").endMetadata().build();

        Translated<Object> t = Isolation.translate(Isolation.ref(ObjectKey.Kind.POD, pod), () -> {
            throw new NullPointerException("a translator bug");
        });

        assertThat(t.isAccepted()).isFalse();
        assertThat(t.diagnostics()).extracting(Object::toString).containsExactly("Pod dev/web: could not be translated"
                + " (java.lang.NullPointerException: a translator bug); left out, everything else is enforced");
    }

    @Test
    void anObjectWithoutMetadataIsNamedUnnamedInTheNamespaceKubectlWouldUse() {
        assertThat(Isolation.ref(ObjectKey.Kind.POD, new PodBuilder().build()))
                .isEqualTo(ObjectKey.pod("default", "<unnamed>"));
        assertThat(Isolation.ref(ObjectKey.Kind.NODE, new io.fabric8.kubernetes.api.model.Node()))
                .isEqualTo(ObjectKey.node("<unnamed>"));
    }
}
