package io.pgha.agent.node;

import java.time.Instant;

/**
 * Everything one cycle observed, gathered before anything is decided so all roles are judged on the same
 * facts (Patroni's one-cluster-view-per-cycle rule).
 *
 * @param takenAt     when the cycle started; the policy ages the snapshot from here
 * @param maintenance whether the operator's maintenance flag was present
 */
public record NodeSnapshot(
        String nodeName,
        Instant takenAt,
        PostgresStatus postgres,
        PatroniStatus patroni,
        EtcdStatus etcd,
        boolean maintenance) {
}
