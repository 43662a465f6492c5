package io.pgha.agent.node;

import java.time.Duration;

/**
 * PostgreSQL as seen over one JDBC query. Fields other than {@code probe} are null when the probe failed or
 * when PostgreSQL does not know (e.g. no WAL received yet, so no receive LSN).
 *
 * @param replayLagBytes received but not yet replayed WAL, in bytes
 * @param replayLag      now() - last replayed transaction time, 0 when everything received is replayed
 *                       (an idle primary would otherwise look like an ever-growing lag)
 * @param connectionHeadroom max_connections minus client backends
 */
public record PostgresStatus(
        ProbeResult probe,
        Boolean inRecovery,
        Long timeline,
        String receiveLsn,
        String replayLsn,
        Long replayLagBytes,
        Duration replayLag,
        String walReceiverStatus,
        Integer connectionHeadroom) {

    public static PostgresStatus unreachable(ProbeResult probe) {
        return new PostgresStatus(probe, null, null, null, null, null, null, null, null);
    }

    public boolean reachable() {
        return probe.succeeded();
    }

    public boolean streaming() {
        return "streaming".equalsIgnoreCase(walReceiverStatus);
    }
}
