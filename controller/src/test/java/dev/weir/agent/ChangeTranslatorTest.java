package dev.weir.agent;

import static dev.weir.agent.Kube.cnp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.graph.ClusterEvent;
import dev.weir.model.Endpoint;
import dev.weir.model.ObjectKey;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The pure translation step: what each object becomes, with no API server and no side effect to look at. */
class ChangeTranslatorTest {

    private final ChangeTranslator translator = new ChangeTranslator(ObjectTranslator.standard());

    @Test
    void aPodBecomesTheUpsertOfItsEndpointAndCarriesNoStatus() {
        ChangeTranslator.Translation t = translator.upsert(Kube.pod("dev", "web", "10.0.0.1", "n1", "app", "web"));

        assertThat(t.change()).isInstanceOfSatisfying(Change.Event.class, e -> assertThat(e.event())
                .isInstanceOfSatisfying(ClusterEvent.Upserted.class, u -> assertThat(((Endpoint) u.object()).ips())
                        .hasToString("[10.0.0.1]")));
    }

    @Test
    void aNodeWithAMalformedAddressIsLeftOutAsIfDeletedAndSaysWhy() {
        Node node = new NodeBuilder().withNewMetadata().withName("n1").endMetadata().withNewStatus()
                .addNewAddress().withType("InternalIP").withAddress("10.0.0.300").endAddress().endStatus().build();

        ChangeTranslator.Translation t = translator.upsert(node);

        assertThat(t.change()).isEqualTo(new Change.Event(new ClusterEvent.Deleted(ObjectKey.node("n1"))));
        assertThat(t.diagnostics()).isNotEmpty();
    }

    @Test
    void anInvalidNetworkPolicyIsRejectedAsOneVersionNamingTheField() {
        var policy = Kube.invalidCidr("dev", "bad");
        policy.getMetadata().setUid("u1");
        policy.getMetadata().setGeneration(3L);

        Change change = translator.upsert(policy).change();

        assertThat(change).isInstanceOfSatisfying(Change.PolicyRejected.class, r -> {
            assertThat(r.rejection().version()).isEqualTo("g3");
            assertThat(r.rejection().message()).contains("spec.ingress[0].from[0].ipBlock.cidr");
        });
        assertThat(change.key()).isEqualTo(ObjectKey.networkPolicy("dev", "bad"));
    }

    @Test
    void aClusterNetworkPolicyIsRecordedOrRejectedForTheVersionItHas() {
        var valid = cnp("deny-metadata", 10);
        valid.getMetadata().setGeneration(2L);
        var invalid = cnp("too-high", 5000);
        invalid.getMetadata().setUid("u1");
        invalid.getMetadata().setGeneration(1L);

        ChangeTranslator.Translation accepted = translator.upsert(valid);
        ChangeTranslator.Translation rejected = translator.upsert(invalid);

        assertThat(accepted.change()).isInstanceOf(Change.Event.class);
        assertThat(accepted.diagnostics()).isEmpty();
        assertThat(rejected.change()).isInstanceOfSatisfying(Change.PolicyRejected.class, r -> {
            assertThat(r.rejection().version()).isEqualTo("g1");
            assertThat(r.rejection().message()).contains("spec.priority");
        });
    }

    static Stream<Named<HasMetadata>> objects() {
        return Stream.of(Named.of("namespace", Kube.namespace("dev")),
                Named.of("pod", Kube.pod("dev", "web", "10.0.0.1", "n1")),
                Named.of("network policy", Kube.allowFrom("dev", "web", "web", "db")),
                Named.of("invalid network policy", Kube.invalidCidr("dev", "bad")),
                Named.of("node", new NodeBuilder().withNewMetadata().withName("n1").endMetadata().build()),
                Named.of("cluster network policy", cnp("deny-metadata", 10)),
                Named.of("invalid cluster network policy", cnp("too-high", 5000)));
    }

    @ParameterizedTest
    @MethodSource("objects")
    void aDeleteReplacesThePendingUpsertOfTheSameObject(HasMetadata object) {
        assertThat(translator.delete(object).key()).isEqualTo(translator.upsert(object).change().key());
    }

    /** A translator that throws for everything: what a translator bug reached by one object's content looks like. */
    private static final ObjectTranslator THROWING = (ObjectTranslator) java.lang.reflect.Proxy.newProxyInstance(
            ObjectTranslator.class.getClassLoader(), new Class<?>[] {ObjectTranslator.class}, (proxy, method, args) -> {
                throw new NullPointerException("a translator bug");
            });

    @Test
    void anExceptionTranslatingAPolicyRejectsThatPolicyNamingIt() {
        var policy = Kube.allowFrom("dev", "web", "web", "db");
        policy.getMetadata().setGeneration(2L);

        ChangeTranslator.Translation t = new ChangeTranslator(THROWING).upsert(policy);

        assertThat(t.change()).isInstanceOfSatisfying(Change.PolicyRejected.class, r -> assertThat(r.rejection()
                .message()).isEqualTo("could not be translated (java.lang.NullPointerException: a translator bug); "
                        + "left out, everything else is enforced"));
        assertThat(t.change().key()).isEqualTo(dev.weir.model.ObjectKey.networkPolicy("dev", "web"));
    }

    @Test
    void anExceptionTranslatingAPodLeavesThatPodOutAsIfDeleted() {
        ChangeTranslator.Translation t =
                new ChangeTranslator(THROWING).upsert(Kube.pod("dev", "web", "10.0.0.1", "n1", "app", "web"));

        assertThat(t.change())
                .isEqualTo(new Change.Event(new ClusterEvent.Deleted(dev.weir.model.ObjectKey.pod("dev", "web"))));
        assertThat(t.diagnostics()).extracting(Object::toString).singleElement().asString()
                .startsWith("Pod dev/web: could not be translated");
    }

    @Test
    void anObjectNoInformerDeliversIsAProgrammingError() {
        ConfigMap other = new ConfigMap();
        assertThatThrownBy(() -> translator.upsert(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ConfigMap");
    }
}
