package dev.weir.controller;

import static dev.weir.agent.Kube.invalidCidr;
import static dev.weir.agent.Kube.namespace;
import static dev.weir.controller.ControllerFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two controller replicas on one Lease (short timing, {@link ControllerFixture#LEASE}): one leads and writes, the other
 * writes nothing; a leader that dies is replaced within the lease duration, one that stops cleanly at once.
 */
class LeaderElectionTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private ControllerFixture fixture;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new ControllerFixture();
        fixture.kube.resource(namespace("dev")).create();
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    private int events() {
        return fixture.kube.v1().events().inAnyNamespace().list().getItems().size();
    }

    private static double writes(WeirController c) {
        double sum = 0;
        for (String kind : ControllerMetrics.WRITE_KINDS) {
            sum += c.metrics().writes.labelValues(kind).get();
        }
        return sum;
    }

    private ControllerFixture.Replica[] twoReplicasOneLeading() throws Exception {
        ControllerFixture.Replica a = fixture.controller("a");
        ControllerFixture.Replica b = fixture.controller("b");
        assertThat(await(() -> a.controller().leading() || b.controller().leading(), WAIT)).isTrue();
        return a.controller().leading() ? new ControllerFixture.Replica[] {a, b}
                : new ControllerFixture.Replica[] {b, a};
    }

    @Test
    void ofTwoReplicasOnlyTheLeaderWrites() throws Exception {
        ControllerFixture.Replica[] r = twoReplicasOneLeading();
        WeirController leader = r[0].controller();
        WeirController follower = r[1].controller();
        assertThat(await(() -> follower.health().ready(), WAIT)).isTrue();

        fixture.kube.resource(invalidCidr("dev", "broken")).create();
        fixture.kube.resource(invalidCidr("dev", "broken-too")).create();
        assertThat(await(() -> events() == 2 && writes(leader) == 2, WAIT)).isTrue();
        Thread.sleep(1000);

        assertThat(leader.leading()).isTrue();
        assertThat(follower.leading()).isFalse();
        assertThat(events()).isEqualTo(2);
        assertThat(writes(leader)).isEqualTo(2);
        assertThat(writes(follower)).isZero();
        Lease lease = fixture.kube.leases().inNamespace("kube-system").withName(LeaseSettings.DEFAULT_NAME).get();
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(leader.identity());
    }

    @Test
    void aLeaderThatDiesIsReplacedWithinTheLeaseDurationAndTheNewOneWrites() throws Exception {
        ControllerFixture.Replica[] r = twoReplicasOneLeading();
        WeirController follower = r[1].controller();
        assertThat(await(() -> follower.health().ready(), WAIT)).isTrue();

        // A dead process neither renews nor releases: cut the leader off, then stop what is left of it.
        long killed = System.nanoTime();
        r[0].proxy().cut();
        r[0].controller().close();
        assertThat(await(follower::leading, WAIT)).isTrue();
        Duration handOver = Duration.ofNanos(System.nanoTime() - killed);
        System.out.printf("leader killed: hand-over after %d ms (lease %d ms)%n", handOver.toMillis(),
                ControllerFixture.LEASE.toMillis());

        // expiry of the last renew (at most one lease duration away) plus one jittered retry (up to 2.2 periods)
        assertThat(handOver).as("hand-over after %d ms", handOver.toMillis())
                .isLessThan(ControllerFixture.LEASE.plus(ControllerFixture.RETRY.multipliedBy(3)).plusMillis(500));
        assertThat(handOver).as("the lease was still held: no replica may take it before it expires")
                .isGreaterThan(ControllerFixture.LEASE.minus(ControllerFixture.RENEW));
        fixture.kube.resource(invalidCidr("dev", "broken")).create();
        assertThat(await(() -> events() == 1 && writes(follower) == 1, WAIT)).isTrue();
    }

    @Test
    void aLeaderThatStopsReleasesTheLeaseAndHandsOverBeforeItWouldHaveExpired() throws Exception {
        ControllerFixture.Replica[] r = twoReplicasOneLeading();
        WeirController follower = r[1].controller();

        long stopped = System.nanoTime();
        r[0].controller().close();
        assertThat(await(follower::leading, WAIT)).isTrue();
        Duration handOver = Duration.ofNanos(System.nanoTime() - stopped);
        System.out.printf("leader stopped: hand-over after %d ms%n", handOver.toMillis());

        // fabric8 releases by writing a lease of 1 s without a holder: no waiting out the lease duration
        assertThat(handOver).as("hand-over after %d ms", handOver.toMillis()).isLessThan(ControllerFixture.LEASE);
    }
}
