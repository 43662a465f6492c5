package io.pgha.agent.health;

import io.pgha.agent.etcd.LeaderReader;
import io.pgha.agent.metrics.AgentMetrics;
import io.pgha.agent.node.EtcdStatus;
import io.pgha.agent.node.NodeSnapshot;
import io.pgha.agent.node.Outcome;
import io.pgha.agent.node.PatroniStatus;
import io.pgha.agent.node.PostgresStatus;
import io.pgha.agent.node.ProbeResult;
import io.pgha.agent.patroni.PatroniApi;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Takes one {@link NodeSnapshot}. Patroni and etcd are asked asynchronously and PostgreSQL on the calling
 * thread at the same time, so a cycle lasts about one probe timeout (default 500 ms) rather than the sum of
 * three, which keeps it under the loop interval (default 1 s). It also remembers when this node last streamed
 * WAL as a replica, the one fact a snapshot carries from earlier cycles.
 */
public final class SnapshotGatherer {

    private final String nodeName;
    private final Supplier<PostgresStatus> postgres;
    private final PatroniApi patroni;
    private final LeaderReader etcd;
    private final BooleanSupplier maintenance;
    private final Duration probeTimeout;
    private final String leaderKey;
    private final AgentMetrics metrics;
    private final Clock clock;
    // Only the loop's one thread gathers, so this needs no synchronisation.
    private Instant streamedAt;

    public SnapshotGatherer(String nodeName, Supplier<PostgresStatus> postgres, PatroniApi patroni,
            LeaderReader etcd, BooleanSupplier maintenance, Duration probeTimeout, String leaderKey,
            AgentMetrics metrics, Clock clock) {
        this.nodeName = nodeName;
        this.postgres = postgres;
        this.patroni = patroni;
        this.etcd = etcd;
        this.maintenance = maintenance;
        this.probeTimeout = probeTimeout;
        this.leaderKey = leaderKey;
        this.metrics = metrics;
        this.clock = clock;
    }

    public NodeSnapshot gather() {
        Instant takenAt = clock.instant();
        CompletableFuture<PatroniStatus> p = patroni.fetch().toCompletableFuture();
        CompletableFuture<EtcdStatus> e = etcd.read().toCompletableFuture();
        PostgresStatus pg = postgres.get();
        // Each stage bounds itself at probeTimeout; the extra 100 ms only guards against a broken stage, so a
        // cycle still ends within 600 ms < 1 s interval with the defaults.
        long guard = probeTimeout.toMillis() + 100;
        PatroniStatus pat = join(p, guard, () -> PatroniStatus.unreachable(timedOut(guard)));
        EtcdStatus et = join(e, guard, () -> new EtcdStatus(timedOut(guard), leaderKey, Optional.empty(), null));
        record("postgres", pg.probe());
        record("patroni", pat.probe());
        record("etcd", et.probe());
        metrics.snapshot(pg.inRecovery() == null ? "unknown" : pg.inRecovery() ? "replica" : "primary",
                pg.replayLagBytes(), pg.replayLag());
        if (Boolean.TRUE.equals(pg.inRecovery()) && pg.streaming()) {
            streamedAt = takenAt;
        } else if (Boolean.FALSE.equals(pg.inRecovery())) {
            streamedAt = null; // a primary: when it becomes a replica again, it has to stream first
        }
        return new NodeSnapshot(nodeName, takenAt, pg, pat, et, maintenance.getAsBoolean(), streamedAt);
    }

    private static ProbeResult timedOut(long millis) {
        return ProbeResult.failed(Outcome.TIMEOUT, "probe did not finish", Duration.ofMillis(millis));
    }

    private static <T> T join(CompletableFuture<T> f, long millis, Supplier<T> onTimeout) {
        try {
            return f.get(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return onTimeout.get();
        } catch (Exception ex) {
            f.cancel(true);
            return onTimeout.get();
        }
    }

    private void record(String target, ProbeResult r) {
        metrics.probe(target, r.took(), r.outcome().name().toLowerCase(Locale.ROOT));
    }
}
