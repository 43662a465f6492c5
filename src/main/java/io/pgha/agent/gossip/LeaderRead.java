package io.pgha.agent.gossip;

import io.pgha.agent.node.ProbeResult;
import java.time.Instant;
import java.util.Optional;

/**
 * Patroni's leader key as the watcher last learned it: from its quorum reads (the start-up read, every
 * confirmation) and, between them, from the watch.
 *
 * @param leader      the key's value; empty when the key is missing (or nothing was read yet)
 * @param revision    the etcd revision that value is from, so a late watch event never replaces a newer read
 * @param readAt      when a quorum read last succeeded, null if never: what fencing measures its grace from
 * @param lastAttempt how the last quorum read ended, null before the first one
 */
public record LeaderRead(Optional<String> leader, long revision, Instant readAt, ProbeResult lastAttempt) {

    static final LeaderRead NONE = new LeaderRead(Optional.empty(), 0, null, null);

    LeaderRead read(String value, long atRevision, Instant at, ProbeResult probe) {
        return new LeaderRead(Optional.ofNullable(value), Math.max(revision, atRevision), at, probe);
    }

    /** A watch event: newer than what was read, it changes the value but is not a quorum read. */
    LeaderRead watched(String value, long modRevision) {
        return modRevision <= revision ? this
                : new LeaderRead(Optional.ofNullable(value), modRevision, readAt, lastAttempt);
    }

    LeaderRead failed(ProbeResult probe) {
        return new LeaderRead(leader, revision, readAt, probe);
    }
}
