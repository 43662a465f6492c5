package io.pgha.agent.gossip;

import io.pgha.agent.metrics.AgentMetrics;
import io.pgha.agent.node.ClaimJudgement;
import io.pgha.agent.node.LeaderClaim;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Finds who created the leader key and lets {@link ClaimPolicy} judge the claim. The creator is the key's value at
 * its create revision: a version-1 key's creator is its holder, so a normal election costs no read; any other key
 * costs one read at that revision, once per create revision. Runs on the watcher's thread only.
 */
final class ClaimTracker {

    private static final Logger LOG = Logger.getLogger(ClaimTracker.class);

    /** The leader key's value at a revision; empty when it did not exist; throws when compacted or unreachable. */
    interface History {
        Optional<String> leaderAt(long revision) throws Exception;
    }

    record Judged(LeaderClaim claim, ClaimJudgement judgement) {
    }

    private final ClaimPolicy policy = new ClaimPolicy();
    private final History history;
    private final AgentMetrics metrics;
    /** Who created the key at each create revision seen; "" when etcd compacted that revision away. */
    private final Map<Long, String> creators = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
            return size() > 16;
        }
    };
    private String logged = "";

    ClaimTracker(History history, AgentMetrics metrics) {
        this.history = history;
        this.metrics = metrics;
    }

    Judged judge(LeaderClaim seen, Map<String, PatroniMember> members) {
        LeaderClaim claim = withCreator(seen);
        ClaimJudgement j = policy.judge(claim, members);
        String key = j.stale() + j.cause() + j.holder() + (claim == null ? "" : claim.modRevision());
        if (!key.equals(logged)) {
            // A stale claim is the one thing here an operator must see at once; a takeover that is already over
            // (the overwritten leader now a replica) still means lost writes on an old Patroni.
            if (j.stale()) {
                LOG.errorf("leader claim: %s", j.reason());
                metrics.gossip("claim", "stale");
            } else if (claim != null && claim.overwritten()) {
                LOG.warnf("leader claim: %s", j.reason());
                metrics.gossip("claim", "overwritten");
            } else {
                LOG.debugf("leader claim: %s", j.reason());
            }
            logged = key;
        }
        return new Judged(claim, j);
    }

    private LeaderClaim withCreator(LeaderClaim claim) {
        if (claim == null) {
            return null;
        }
        if (claim.creatorKnown()) {
            creators.putIfAbsent(claim.createRevision(), claim.creator());
            return claim;
        }
        String known = creators.get(claim.createRevision());
        if (known == null) {
            try {
                known = history.leaderAt(claim.createRevision()).orElse("");
            } catch (Exception e) {
                if (!String.valueOf(e.getMessage()).contains("compacted")) {
                    // Unreachable for now: judged on its value until the next read tries again.
                    LOG.debugf("could not read the leader key at its create revision %d (%s)", claim.createRevision(), e);
                    return claim;
                }
                known = "";
            }
            creators.put(claim.createRevision(), known);
        }
        return known.isEmpty() ? claim : claim.withCreator(known);
    }
}
