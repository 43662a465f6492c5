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

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
