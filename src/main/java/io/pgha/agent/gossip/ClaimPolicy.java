package io.pgha.agent.gossip;

import io.pgha.agent.node.ClaimJudgement;
import io.pgha.agent.node.LeaderClaim;
import java.util.Map;

/**
 * Judges the leader key's claim from its etcd metadata, not only its value. A key whose holder is not the member
 * that created it was overwritten: a leader that was cut off or frozen past the TTL came back with a stale view
 * and wrote over the key of the member promoted meanwhile (Patroni before 3.0.3, patroni#2693). That holder's
 * claim belongs to an older term; while the member it overwrote may still run as a primary, routing writes to the
 * overwriter makes two writers, and whatever the overwritten leader acknowledged is about to be rewound away.
 *
 * <p>Once the overwritten member runs as a replica (its own Patroni demoted it), the overwriter is the only
 * writer left and fencing it further would only keep the cluster without one. Unknown stays on the safe side:
 * a creator that cannot be looked up (compacted history) is judged on the value alone, as before, and an
 * overwritten creator whose member key is gone counts as possibly still writing. Pure: no I/O.
 */
public final class ClaimPolicy {

    public ClaimJudgement judge(LeaderClaim claim, Map<String, PatroniMember> members) {
        if (claim == null) {
            return new ClaimJudgement(null, false, "no-key", "no leader key in etcd");
        }
        String holder = claim.holder();
        if (!claim.creatorKnown()) {
            return new ClaimJudgement(holder, false, "creator-unknown", "who created the leader key at revision "
                    + claim.createRevision() + " is unknown (history compacted or not read yet); judged on its value, "
                    + holder);
        }
        if (!claim.overwritten()) {
            return new ClaimJudgement(holder, false, "acquired", holder + " acquired the leader key at revision "
                    + claim.createRevision());
        }
        String creator = claim.creator();
        String takeover = holder + " overwrote " + creator + "'s leader key (created at revision "
                + claim.createRevision() + ") at revision " + claim.modRevision()
                + " instead of acquiring a free key (a stale leader returning; Patroni before 3.0.3 does this)";
        PatroniMember m = members.get(creator);
        if (m != null && replica(m)) {
            return new ClaimJudgement(holder, false, "overwritten-creator-replica", takeover + "; " + creator
                    + " now runs as a replica, so " + holder + " is the only writer left");
        }
        String where = m == null ? "has no member key (state unknown)" : "is still " + m.role() + ", " + m.state();
        return new ClaimJudgement(holder, true, "stale-claim", takeover + "; " + creator + " " + where
                + ", so " + holder + "'s claim is stale: fencing it");
    }

    private static boolean replica(PatroniMember m) {
        boolean replicaRole = "replica".equals(m.role()) || "sync_standby".equals(m.role());
        boolean running = "running".equals(m.state()) || "streaming".equals(m.state());
        return replicaRole && running;
    }
}
