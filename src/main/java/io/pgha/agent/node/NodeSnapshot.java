package io.pgha.agent.node;

import java.time.Instant;

/**
 * Everything one cycle observed, gathered before anything is decided so all roles are judged on the same
 * facts (Patroni's one-cluster-view-per-cycle rule).
 *
 * @param takenAt     when the cycle started; the policy ages the snapshot from here
 * @param maintenance whether the operator's maintenance flag was present
 * @param streamedAt  the last cycle that saw this node's WAL receiver streaming, since it last ran as a primary;
 *                    null when none did. The one fact carried across cycles: a receiver reconnecting after a
 *                    leader change is told apart from one that stopped
 */
public record NodeSnapshot(
        String nodeName,
        Instant takenAt,
        PostgresStatus postgres,
        PatroniStatus patroni,
        EtcdStatus etcd,
        boolean maintenance,
        Instant streamedAt) {

    /** A snapshot with no streaming seen before it (the first cycle, and facts that do not need it). */
    public NodeSnapshot(String nodeName, Instant takenAt, PostgresStatus postgres, PatroniStatus patroni,
            EtcdStatus etcd, boolean maintenance) {
        this(nodeName, takenAt, postgres, patroni, etcd, maintenance, null);
    }
}
