package io.pgha.agent.backup;

import io.pgha.agent.node.NodeSnapshot;
import io.pgha.agent.node.PostgresStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Pure decisions of the backup feature: whether this node is a candidate for a scheduled run and how long it
 * waits before trying to claim it, and whether there is room for the next dump. No I/O; time is passed in.
 *
 * <p>Without the gossip no agent sees the others' lag, so the ranking is done by delay: every healthy streaming
 * replica waits in proportion to its own replay lag, the leader waits longer than any candidate replica can,
 * and the first claim in etcd wins (a create-if-absent transaction, so exactly one wins even on a tie).
 */
public final class BackupPolicy {

    /** @param staleAfter a snapshot older than this is not evidence of anything */
    public record Settings(boolean allowLeader, Duration delayPerMib, Duration leaderDelay, long maxLagBytes,
            Duration staleAfter) {
    }

    /** @param delay how long to wait before claiming; meaningful only when {@code candidate} */
    public record RunnerDecision(boolean candidate, Duration delay, String reason) {
        static RunnerDecision skip(String reason) {
            return new RunnerDecision(false, Duration.ZERO, reason);
        }
    }

    /** What the last good dump of a database weighed, and how big the database was then. */
    public record PreviousDump(long dumpBytes, long databaseBytes) {
    }

    public record SpaceDecision(boolean enough, long estimateBytes, String reason) {
    }

    private static final long MIB = 1024 * 1024;

    private final Settings settings;

    public BackupPolicy(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    public RunnerDecision runner(Optional<NodeSnapshot> snapshot, Instant now) {
        if (snapshot.isEmpty()) {
            return RunnerDecision.skip("not a candidate: no health snapshot yet");
        }
        NodeSnapshot s = snapshot.get();
        Duration age = Duration.between(s.takenAt(), now);
        if (age.compareTo(settings.staleAfter()) > 0) {
            return RunnerDecision.skip("not a candidate: health snapshot is " + age.toMillis() + " ms old");
        }
        PostgresStatus pg = s.postgres();
        if (pg == null || !pg.reachable() || pg.inRecovery() == null) {
            return RunnerDecision.skip("not a candidate: PostgreSQL is not reachable");
        }
        if (!pg.inRecovery()) {
            if (!settings.allowLeader()) {
                return RunnerDecision.skip("not a candidate: this node is the primary and "
                        + "pgha.backup.allow-leader is false");
            }
            return new RunnerDecision(true, settings.leaderDelay(), "primary: claims after "
                    + settings.leaderDelay().toMillis() + " ms unless a replica claimed the run first");
        }
        if (!pg.streaming()) {
            return RunnerDecision.skip("not a candidate: replica is not streaming (wal receiver "
                    + (pg.walReceiverStatus() == null ? "absent" : pg.walReceiverStatus()) + ")");
        }
        Long lag = pg.replayLagBytes();
        if (lag == null) {
            return RunnerDecision.skip("not a candidate: replica's replay lag is unknown");
        }
        if (lag > settings.maxLagBytes()) {
            return RunnerDecision.skip("not a candidate: replica lags " + lag + " bytes, more than "
                    + settings.maxLagBytes());
        }
        long mib = (lag + MIB - 1) / MIB;
        Duration delay = settings.delayPerMib().multipliedBy(mib);
        return new RunnerDecision(true, delay, "streaming replica lagging " + lag + " bytes: claims after "
                + delay.toMillis() + " ms");
    }

    /**
     * The next dump is estimated from the last good one scaled by the database's growth, plus a fifth for
     * safety; without a previous dump, a third of the database's size (custom-format dumps leave indexes out
     * and compress: pgbench dumps to ~2% of its size, random text to ~50%, so a third errs on the safe side).
     */
    public SpaceDecision space(String database, long freeBytes, long databaseBytes, Optional<PreviousDump> previous,
            long minFreeBytes) {
        long estimate = previous
                .map(p -> (long) (p.dumpBytes() * Math.max(1.0, (double) databaseBytes / Math.max(1, p.databaseBytes()))
                        * 1.2))
                .orElse(databaseBytes / 3);
        String basis = previous.isPresent() ? "the last dump (" + previous.get().dumpBytes() + " bytes) scaled by growth"
                : "a third of the database size (" + databaseBytes + " bytes)";
        if (freeBytes - estimate < minFreeBytes) {
            return new SpaceDecision(false, estimate, "not enough space for " + database + ": needs about " + estimate
                    + " bytes (" + basis + ") plus " + minFreeBytes + " reserved, " + freeBytes + " free");
        }
        return new SpaceDecision(true, estimate, "room for " + database + ": about " + estimate + " bytes needed, "
                + freeBytes + " free");
    }
}
