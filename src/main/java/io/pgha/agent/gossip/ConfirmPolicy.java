package io.pgha.agent.gossip;

import java.util.Map;
import java.util.Objects;

/**
 * Decides what one confirming read of etcd means for the watched view. Pure: the watcher passes what the view
 * holds and what etcd answered, and carries out the action. A different leader is a missed change at once
 * (routing follows it); a different revision of an agent's or hook's key may be an event still queued on the
 * watcher's own thread, so only a difference that is still there one interval later counts as missed.
 */
public final class ConfirmPolicy {

    /** Consecutive differing confirmations after which the watch is taken to have missed a change. */
    static final int MISMATCHES_TO_RESYNC = 2;

    public enum Action { CONFIRMED, LOOK_AGAIN, RESYNC }

    /** @param mismatches consecutive differing confirmations including this one (0 when confirmed) */
    public record Decision(Action action, int mismatches, String reason) {
    }

    /**
     * @param viewLeader      the leader the view holds, null for none
     * @param etcdLeader      the leader key's value in etcd, null when absent
     * @param seen            mod revision of every agent and hook key the watch delivered
     * @param inEtcd          the same keys' mod revisions in etcd
     * @param mismatchesSoFar consecutive differing confirmations before this one
     */
    public Decision decide(String viewLeader, String etcdLeader, Map<String, Long> seen, Map<String, Long> inEtcd,
            int mismatchesSoFar) {
        if (!Objects.equals(viewLeader, etcdLeader)) {
            return new Decision(Action.RESYNC, 0, "watch missed a change: etcd names leader " + etcdLeader
                    + ", the view " + viewLeader + "; re-reading");
        }
        if (inEtcd.equals(seen)) {
            return new Decision(Action.CONFIRMED, 0, "etcd agrees with the view");
        }
        int mismatches = mismatchesSoFar + 1;
        if (mismatches < MISMATCHES_TO_RESYNC) {
            return new Decision(Action.LOOK_AGAIN, mismatches, "the agents' or hooks' keys differ from etcd (etcd "
                    + inEtcd.keySet() + ", seen " + seen.keySet() + "); an event may still be queued: look again");
        }
        return new Decision(Action.RESYNC, mismatches, "watch missed a change of the agents' or hooks' keys (etcd "
                + inEtcd.keySet() + ", seen " + seen.keySet() + ", for " + mismatches + " confirmations); re-reading");
    }
}
