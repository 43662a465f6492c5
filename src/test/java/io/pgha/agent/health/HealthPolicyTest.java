package io.pgha.agent.health;

import static io.pgha.agent.health.Snapshots.MB;
import static io.pgha.agent.health.Snapshots.ME;
import static io.pgha.agent.health.Snapshots.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgha.agent.node.ClaimJudgement;
import io.pgha.agent.node.Outcome;
import io.pgha.agent.node.Role;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The routing table: each row is one situation, the role asked, the word expected and why. */
class HealthPolicyTest {

    private static final Role P = Role.PRIMARY;
    private static final Role R = Role.REPLICA;
    private static final Role A = Role.ANY;

    static Stream<Arguments> table() {
        return Stream.of(
                row("healthy leader", Snapshots.leader(), P, "up", "etcd agrees"),
                row("healthy leader is no replica", Snapshots.leader(), R, "down", "not in recovery"),
                row("healthy leader accepts any", Snapshots.leader(), A, "up", "accepts connections"),
                row("Patroni 3.x says primary", Snapshots.leader().with(s -> s.role = "primary"), P, "up",
                        "etcd agrees"),
                row("split brain: etcd names another node", Snapshots.leader().with(s -> s.leader = Optional.of("node2")),
                        P, "down", "split brain: this node acts as primary but etcd names node2"),
                row("stale claim: this node overwrote a newer leader's key", Snapshots.leader().with(s -> s.claim =
                        new ClaimJudgement(ME, true, "stale-claim", "node1 overwrote node2's leader key (created at "
                                + "revision 1727) at revision 1759 ...; fencing it")), P, "down",
                        "node1 overwrote node2's leader key (created at revision 1727) at revision 1759"),
                row("stale claim fences writes only", Snapshots.leader().with(s -> s.claim =
                        new ClaimJudgement(ME, true, "stale-claim", "x")), A, "up", "accepts connections"),
                row("an overwrite that is over is routed", Snapshots.leader().with(s -> s.claim =
                        new ClaimJudgement(ME, false, "overwritten-creator-replica", "node2 now runs as a replica")),
                        P, "up", "etcd agrees"),
                row("a stale judgement of an older holder does not fence this one", Snapshots.leader().with(s -> s.claim =
                        new ClaimJudgement("node3", true, "stale-claim", "x")), P, "up", "etcd agrees"),
                row("leader key missing", Snapshots.leader().with(s -> s.leader = Optional.empty()), P, "down",
                        "/service/postgres-ha/leader is missing"),
                row("etcd unreadable 2s, within limit", Snapshots.leader().etcdUnreadableFor(Duration.ofSeconds(2)),
                        P, "up", "within the 5.0s limit"),
                row("etcd unreadable 6s, over limit", Snapshots.leader().etcdUnreadableFor(Duration.ofSeconds(6)),
                        P, "down", "etcd unreadable for 6.0s (limit 5.0s"),
                row("etcd unreadable within limit but last read named another",
                        Snapshots.leader().etcdUnreadableFor(Duration.ofSeconds(1))
                                .with(s -> s.leader = Optional.of("node3")), P, "down", "split brain"),
                row("etcd never read", Snapshots.leader().with(s -> {
                    s.etcdProbe = io.pgha.agent.node.ProbeResult.failed(Outcome.REFUSED, "x", Duration.ZERO);
                    s.lastRead = null;
                    s.leader = Optional.empty();
                }), P, "down", "has not been read since start"),
                row("etcd down does not matter to replicas", Snapshots.replica().etcdUnreadableFor(Duration.ofMinutes(5)),
                        R, "up", "streaming"),
                row("Patroni timeout fences the writer", Snapshots.leader().patroniFails(Outcome.TIMEOUT,
                        Duration.ofMillis(500)), P, "down", "Patroni API timed out after 500 ms"),
                row("Patroni refused", Snapshots.leader().patroniFails(Outcome.REFUSED, Duration.ofMillis(1)), P, "down",
                        "Patroni API refused the connection"),
                row("hung Patroni on a replica", Snapshots.replica().patroniFails(Outcome.TIMEOUT, Duration.ofMillis(500)),
                        R, "down", "cannot be trusted"),
                row("Patroni HTTP error", Snapshots.leader().patroniFails(Outcome.ERROR, Duration.ofMillis(4)), A, "down",
                        "Patroni API failed: HTTP 500"),
                row("Patroni starting", Snapshots.leader().with(s -> s.state = "starting"), P, "down",
                        "state starting, not running"),
                row("Patroni says replica", Snapshots.leader().with(s -> s.role = "replica"), P, "down",
                        "Patroni role is replica, not the leader"),
                row("promotion not finished", Snapshots.leader().with(s -> s.inRecovery = true), P, "down",
                        "still in recovery"),
                row("PostgreSQL down: no primary", Snapshots.leader().postgresFails(Outcome.REFUSED), P, "down",
                        "PostgreSQL refused the connection"),
                row("PostgreSQL down: no any", Snapshots.leader().postgresFails(Outcome.REFUSED), A, "down",
                        "PostgreSQL refused"),
                row("PostgreSQL hung", Snapshots.replica().postgresFails(Outcome.TIMEOUT), R, "down",
                        "PostgreSQL timed out"),
                row("stale snapshot: primary", Snapshots.leader().with(s -> s.takenAt = NOW.minusSeconds(4)), P, "down",
                        "snapshot is 4.0s old, over the 3.0s limit"),
                row("stale snapshot: replica", Snapshots.replica().with(s -> s.takenAt = NOW.minusSeconds(4)), R, "down",
                        "failing closed"),
                row("three intervals is not yet stale", Snapshots.leader().with(s -> s.takenAt = NOW.minusSeconds(3)), P,
                        "up", "etcd agrees"),
                row("maintenance as maint", Snapshots.leader().with(s -> s.maintenance = true), P, "maint",
                        "maintenance flag"),
                row("maintenance on a replica", Snapshots.replica().with(s -> s.maintenance = true), R, "maint",
                        "maintenance flag"),
                row("replica streaming, small lag", Snapshots.replica().lag(100_000, Duration.ofMillis(200)), R, "up",
                        "streaming, lag 97.7 kB / 0.2s"),
                row("replica idle, lag 0", Snapshots.replica(), R, "up", "lag 0 B / 0.0s"),
                row("replica at weight-start is still full", Snapshots.replica().lag(MB, Duration.ZERO), R, "up",
                        "streaming"),
                row("replica lag 4 MB gets 80%", Snapshots.replica().lag(4 * MB, Duration.ofSeconds(1)), R, "80%",
                        "lag 4.0 MB / 1.0s, weight lowered to 80%"),
                row("replica lag just under soft gets 1%", Snapshots.replica().lag(16 * MB - 1, Duration.ZERO), R, "1%",
                        "weight lowered to 1%"),
                row("replica over soft bytes drains", Snapshots.replica().lag(20 * MB, Duration.ZERO), R, "drain",
                        "over the soft limit 16.0 MB"),
                row("replica over soft seconds drains", Snapshots.replica().lag(0, Duration.ofSeconds(11)), R, "drain",
                        "lag 0 B / 11.0s over the soft limit"),
                row("replica over hard bytes is down", Snapshots.replica().lag(65 * MB, Duration.ZERO), R, "down",
                        "over the hard limit 64.0 MB"),
                row("replica over hard seconds is down", Snapshots.replica().lag(0, Duration.ofSeconds(31)), R, "down",
                        "over the hard limit"),
                row("replica not streaming", Snapshots.replica().with(s -> s.walReceiver = null), R, "down",
                        "WAL receiver is not running, not streaming"),
                row("replica receiver stopping", Snapshots.replica().with(s -> s.walReceiver = "stopping"), R, "down",
                        "WAL receiver is stopping"),
                row("replica reconnecting after a leader change stays up",
                        Snapshots.replica().reconnecting(null, Duration.ofSeconds(3)), R, "up",
                        "WAL receiver is not running for 3.0s, within the 10.0s reconnect grace"),
                row("replica reconnecting at the end of the grace stays up",
                        Snapshots.replica().reconnecting("starting", Duration.ofSeconds(10)), R, "up", "reconnect grace"),
                row("replica not streaming past the grace is down",
                        Snapshots.replica().reconnecting(null, Duration.ofMillis(10_001)), R, "down",
                        "not streaming for 10.0s, over the 10.0s reconnect grace"),
                row("replica reconnecting but lagging drains",
                        Snapshots.replica().lag(20 * MB, Duration.ZERO).reconnecting(null, Duration.ofSeconds(2)), R,
                        "drain", "over the soft limit"),
                row("replica lag unknown", Snapshots.replica().with(s -> s.lagBytes = null), R, "down",
                        "lag is unknown"),
                row("noloadbalance keeps reads off", Snapshots.replica().with(s -> s.noLoadBalance = true), R, "down",
                        "noloadbalance"),
                row("noloadbalance still serves any", Snapshots.replica().with(s -> s.noLoadBalance = true), A, "up",
                        "Patroni is running"),
                row("replica is not primary", Snapshots.replica(), P, "down", "not the leader"),
                row("Patroni 3.x replica streaming state", Snapshots.replica().with(s -> s.state = "streaming"), R, "up",
                        "streaming"));
    }

    private static Arguments row(String name, Snapshots s, Role role, String word, String reasonFragment) {
        return Arguments.of(name, s, role, word, reasonFragment);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(String name, Snapshots s, Role role, String word, String reasonFragment) {
        Verdict v = new HealthPolicy(Snapshots.settings(false)).decide(s.build(), NOW).of(role);
        assertEquals(word, v.label(), () -> name + ": " + v.reason());
        assertTrue(v.reason().contains(reasonFragment), () -> name + ": reason was '" + v.reason() + "'");
    }

    @Test
    void maintenanceCanDrainInstead() {
        Verdicts v = new HealthPolicy(Snapshots.settings(true))
                .decide(Snapshots.leader().with(s -> s.maintenance = true).build(), NOW);
        for (Role role : Role.values()) {
            assertEquals("drain", v.of(role).label());
            assertTrue(v.of(role).reason().contains("maintenance flag"));
        }
    }

    @Test
    void staleBeatsMaintenance() {
        Verdict v = new HealthPolicy(Snapshots.settings(false)).decide(Snapshots.leader().with(s -> {
            s.maintenance = true;
            s.takenAt = NOW.minusSeconds(10);
        }).build(), NOW).primary();
        assertEquals("down", v.label());
        assertTrue(v.reason().contains("stale") || v.reason().contains("old"));
    }

    @Test
    void weightFallsMonotonically() {
        HealthPolicy policy = new HealthPolicy(Snapshots.settings(false));
        int previous = 100;
        for (long b = MB + 1; b < 16 * MB; b += MB / 4) {
            int w = policy.weightFor(b);
            assertTrue(w <= previous && w >= 1 && w <= 99, "weight " + w + " at " + b);
            previous = w;
        }
    }

    @Test
    void noSnapshotIsDownForEveryRole() {
        Verdicts v = new HealthPolicy(Snapshots.settings(false)).noSnapshot(NOW);
        for (Role role : Role.values()) {
            assertEquals("down", v.of(role).label());
            assertTrue(v.of(role).reason().contains("no health snapshot yet"));
        }
    }
}
