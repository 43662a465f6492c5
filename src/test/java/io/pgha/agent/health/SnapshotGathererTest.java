package io.pgha.agent.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgha.agent.metrics.AgentMetrics;
import io.pgha.agent.node.EtcdStatus;
import io.pgha.agent.node.NodeSnapshot;
import io.pgha.agent.node.Outcome;
import io.pgha.agent.node.PatroniStatus;
import io.pgha.agent.node.PostgresStatus;
import io.pgha.agent.node.ProbeResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Hand fakes for the three targets: the gatherer must bound a stage that never completes. */
class SnapshotGathererTest {

    static final Duration PROBE = Duration.ofMillis(200);

    @Test
    void aStageThatNeverCompletesBecomesATimeoutWithinTheGuard() {
        SnapshotGatherer g = new SnapshotGatherer("node1",
                () -> PostgresStatus.unreachable(ProbeResult.failed(Outcome.REFUSED, "x", Duration.ZERO)),
                CompletableFuture::new, // a Patroni whose answer never comes
                () -> CompletableFuture.completedFuture(new EtcdStatus(ProbeResult.ok(Duration.ZERO),
                        "/service/postgres-ha/leader", Optional.of("node1"), Instant.now())),
                () -> true, PROBE, "/service/postgres-ha/leader", AgentMetrics.NONE, Clock.systemUTC());
        long start = System.nanoTime();
        NodeSnapshot s = g.gather();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis < PROBE.toMillis() + 300, "gather took " + millis + " ms");
        assertEquals(Outcome.TIMEOUT, s.patroni().probe().outcome());
        assertEquals(Outcome.REFUSED, s.postgres().probe().outcome());
        assertEquals(Optional.of("node1"), s.etcd().leader());
        assertTrue(s.maintenance());
    }

    @Test
    void probesRunInParallelNotOneAfterAnother() {
        SnapshotGatherer g = new SnapshotGatherer("node1",
                () -> {
                    sleep(150);
                    return PostgresStatus.unreachable(ProbeResult.failed(Outcome.TIMEOUT, "x", PROBE));
                },
                () -> CompletableFuture.supplyAsync(() -> {
                    sleep(150);
                    return PatroniStatus.unreachable(ProbeResult.failed(Outcome.TIMEOUT, "x", PROBE));
                }),
                () -> CompletableFuture.supplyAsync(() -> {
                    sleep(150);
                    return new EtcdStatus(ProbeResult.failed(Outcome.TIMEOUT, "x", PROBE), "k", Optional.empty(), null);
                }),
                () -> false, PROBE, "k", AgentMetrics.NONE, Clock.systemUTC());
        long start = System.nanoTime();
        g.gather();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis < 400, "three 150 ms probes took " + millis + " ms together");
    }

    /** A receiver reconnecting is told from one never seen streaming: only streaming as a replica sets the mark. */
    @Test
    void remembersTheLastCycleThatStreamedUntilTheNodeRunsAsPrimary() {
        Instant t0 = Instant.parse("2026-12-04T10:00:00Z");
        VerdictStoreTest.ManualClock clock = new VerdictStoreTest.ManualClock(t0);
        PostgresStatus[] next = {pg(true, "streaming")};
        SnapshotGatherer g = new SnapshotGatherer("node1", () -> next[0],
                () -> CompletableFuture.completedFuture(PatroniStatus.unreachable(ProbeResult.ok(Duration.ZERO))),
                () -> CompletableFuture.completedFuture(new EtcdStatus(ProbeResult.ok(Duration.ZERO), "k",
                        Optional.empty(), null)),
                () -> false, PROBE, "k", AgentMetrics.NONE, clock);
        assertEquals(t0, g.gather().streamedAt());
        clock.now = t0.plusSeconds(1);
        next[0] = pg(true, null);
        assertEquals(t0, g.gather().streamedAt(), "receiver gone: the mark stays where it streamed last");
        clock.now = t0.plusSeconds(2);
        next[0] = PostgresStatus.unreachable(ProbeResult.failed(Outcome.REFUSED, "x", Duration.ZERO));
        assertEquals(t0, g.gather().streamedAt(), "PostgreSQL restarting: nothing new is known");
        clock.now = t0.plusSeconds(3);
        next[0] = pg(false, null);
        assertEquals(null, g.gather().streamedAt(), "a primary");
        clock.now = t0.plusSeconds(4);
        next[0] = pg(true, "starting");
        assertEquals(null, g.gather().streamedAt(), "demoted and not streaming yet");
    }

    private static PostgresStatus pg(boolean inRecovery, String receiver) {
        return new PostgresStatus(ProbeResult.ok(Duration.ZERO), inRecovery, 3L, "0/3000060", "0/3000060", 0L,
                Duration.ZERO, receiver, 90);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
