package io.pgha.agent.gossip;

import io.pgha.agent.node.ClaimJudgement;
import io.pgha.agent.node.LeaderClaim;
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
 * @param claim       the key with its create/mod revision and lease, null when missing or not known
 * @param judgement   how the holder got the key ({@link ClaimPolicy}), null before it was judged
 */
public record LeaderRead(Optional<String> leader, long revision, Instant readAt, ProbeResult lastAttempt,
        LeaderClaim claim, ClaimJudgement judgement) {

    static final LeaderRead NONE = new LeaderRead(Optional.empty(), 0, null, null, null, null);

    /** A quorum read of the key itself: its value and metadata from {@code atRevision}. */
    LeaderRead read(LeaderClaim c, long atRevision, Instant at, ProbeResult probe) {
        return new LeaderRead(Optional.ofNullable(c == null ? null : c.holder()), Math.max(revision, atRevision), at,
                probe, c, judgement);
    }

    /**
     * A watch event with the key's metadata (null claim: deleted): newer than what was read, it changes the value
     * but is not a quorum read.
     */
    LeaderRead watched(LeaderClaim c, long modRevision) {
        return modRevision <= revision ? this
                : new LeaderRead(Optional.ofNullable(c == null ? null : c.holder()), modRevision, readAt, lastAttempt,
                        c, judgement);
    }

    LeaderRead failed(ProbeResult probe) {
        return new LeaderRead(leader, revision, readAt, probe, claim, judgement);
    }

    /** The same read with the claim's creator looked up and the claim judged. */
    LeaderRead judged(LeaderClaim c, ClaimJudgement j) {
        return new LeaderRead(leader, revision, readAt, lastAttempt, c, j);
    }
}
