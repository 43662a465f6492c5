package io.pgha.agent.node;

import java.time.Instant;
import java.util.Optional;

/**
 * Patroni's leader key as last read from etcd.
 *
 * @param probe      how this cycle's read ended
 * @param leader     value of the leader key at the last successful read; empty when the key was missing
 * @param lastReadAt when a read last succeeded, null if never: the policy fences on its age, not on one failure
 * @param claim      how the holder got the key, from its create/mod revisions; null where nothing judges it (the
 *                   health loop's own read when gossip is off)
 * @param lease      the etcd lease the leader key is bound to, 0 when unknown: what the watchdog asks etcd about
 */
public record EtcdStatus(ProbeResult probe, String leaderKey, Optional<String> leader, Instant lastReadAt,
        ClaimJudgement claim, long lease) {

    public EtcdStatus(ProbeResult probe, String leaderKey, Optional<String> leader, Instant lastReadAt) {
        this(probe, leaderKey, leader, lastReadAt, null, 0);
    }

    public boolean everRead() {
        return lastReadAt != null;
    }

    /** The key's holder overwrote a newer leader's key, which may still write (see ClaimPolicy). */
    public boolean staleClaim() {
        return claim != null && claim.stale() && leader.map(l -> l.equals(claim.holder())).orElse(false);
    }
}
