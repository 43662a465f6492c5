package io.pgha.agent.gossip;

import java.time.Duration;
import java.time.Instant;

/**
 * Decides what this node's status publisher ({@link LeasePublisher}) does on one tick. Pure: the publisher passes
 * what it holds and what the health loop says now, and carries out the step. A status is rewritten on change, or when someone else overwrote
 * the key, and otherwise only its lease is kept alive (etcd writes are raft writes; keep-alives are cheap), and
 * only once the lease would be past half its TTL at the next tick: etcd's own clients renew at about a third of
 * the TTL, and a keep-alive every tick doubled the agent's etcd calls for nothing.
 */
public final class PublishPolicy implements LeasePublisher.Rule<AgentStatus> {

    private final Duration leaseTtl;
    private final Duration interval;

    /** @param interval how often the publisher asks (pgha.gossip.publish-interval, at most half the TTL) */
    public PublishPolicy(Duration leaseTtl, Duration interval) {
        this.leaseTtl = leaseTtl;
        this.interval = interval;
    }

    public enum Step { WAIT, GRANT_AND_PUT, PUT, KEEP_ALIVE }

    public record Decision(Step step, String reason) {
    }

    /**
     * @param current   the status to publish now, null when the health loop has none yet
     * @param written   what this agent last wrote under its key (timeless), null when nothing yet
     * @param haveLease whether the agent holds a lease it believes alive
     * @param tampered  the watcher saw the key hold something other than what was written
     * @param renewedAt when the lease was last granted or kept alive, null when never
     */
    public Decision decide(AgentStatus current, AgentStatus written, boolean haveLease, boolean tampered,
            Instant renewedAt, Instant now) {
        if (current == null) {
            return new Decision(Step.WAIT, "no health verdicts yet; nothing to publish");
        }
        if (!haveLease) {
            return new Decision(Step.GRANT_AND_PUT, written == null
                    ? "first publication: grant a lease and write the status"
                    : "lease lost or etcd was unreachable: grant a new lease and republish");
        }
        if (tampered) {
            return new Decision(Step.PUT, "the key holds a value this agent did not write: rewrite it");
        }
        if (!current.timeless().equals(written)) {
            return new Decision(Step.PUT, "status changed: " + what(written, current));
        }
        if (leaseFresh(renewedAt, now)) {
            return new Decision(Step.WAIT, FRESH);
        }
        return new Decision(Step.KEEP_ALIVE, "unchanged: keep the lease alive");
    }

    /** {@link #decide} for the publisher: an agent's status has no refresh, so when it was last put does not count. */
    @Override
    public Decision step(AgentStatus current, AgentStatus written, boolean haveLease, boolean tampered, Instant lastPut,
            Instant renewedAt, Instant now) {
        return decide(current, written, haveLease, tampered, renewedAt, now);
    }

    /** Keep-alives and the every-other-tick {@link #FRESH} are not news. */
    @Override
    public boolean logged(Decision d) {
        return d.step() != Step.KEEP_ALIVE && !d.reason().equals(FRESH);
    }

    @Override
    public AgentStatus stamped(AgentStatus current, Instant now) {
        return current;
    }

    /** Without its time stamp and sentences: what "changed" means for {@link #decide}. */
    @Override
    public AgentStatus remembered(AgentStatus current) {
        return current.timeless();
    }

    /**
     * Whether a lease renewed at {@code renewedAt} is still short of half its TTL at the next tick, so that a
     * keep-alive now would be early. The hook's view publisher follows the same rule.
     */
    public boolean leaseFresh(Instant renewedAt, Instant now) {
        return renewedAt != null && Duration.between(renewedAt, now).plus(interval).compareTo(leaseTtl.dividedBy(2)) < 0;
    }

    /** Said every other tick; the publisher does not log it. */
    public static final String FRESH = "unchanged, and the lease was renewed less than half its TTL ago";

    private static String what(AgentStatus before, AgentStatus now) {
        if (before == null) {
            return "nothing written yet";
        }
        if (!java.util.Objects.equals(before.role(), now.role())) {
            return "role " + before.role() + " -> " + now.role();
        }
        if (!java.util.Objects.equals(before.verdicts(), now.verdicts())) {
            return "verdicts changed";
        }
        return "facts changed";
    }

    /** Lag changes by a few bytes every cycle; publish it in steps so an idle cluster does not write each second. */
    public static Long roundLag(Long bytes) {
        if (bytes == null || bytes < 1024) {
            return bytes;
        }
        long step = Long.highestOneBit(bytes) / 8;
        return bytes / step * step;
    }

    public static Long roundMillis(Duration d) {
        return d == null ? null : d.toMillis() < 1000 ? 0L : d.toSeconds() * 1000;
    }
}
