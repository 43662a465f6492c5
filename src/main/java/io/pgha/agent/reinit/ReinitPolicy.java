package io.pgha.agent.reinit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The safety rules around a re-initialisation, in the order an operator would ask about them. Pure:
 * facts, the drift tracker, this node's past attempts and the time in; a decision sentence out.
 */
public final class ReinitPolicy {

    /**
     * @param minHealthyOthers healthy members other than this node required (the leader counts), so
     *                         that wiping this node never leaves the cluster without a copy
     */
    public record Settings(boolean dryRun, Duration cooldown, int maxPerHour, int minHealthyOthers,
                           DriftTracker.Thresholds thresholds) { }

    private final Settings settings;

    public ReinitPolicy(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * @param attempts      start times of this node's past reinits, oldest first
     * @param running       whether a reinit of this node is under way
     * @param operatorPause whether an operator paused reinits on this node
     */
    public ReinitDecision decide(DriftFacts f, DriftTracker tracker, List<Instant> attempts, boolean running,
                                 boolean operatorPause, Instant now) {
        if (running) {
            return ReinitDecision.nothing("a reinit of this node is under way");
        }
        if (!f.patroniUp()) {
            return ReinitDecision.nothing("Patroni does not answer, so it cannot re-initialise this node");
        }
        if (f.actsAsLeader()) {
            return ReinitDecision.nothing("this node is the leader; a leader is never re-initialised");
        }
        Optional<DriftSignal> confirmed = tracker.confirmed(now, settings.thresholds());
        // (the leader's liveness is checked below, once a signal is confirmed)
        if (confirmed.isEmpty()) {
            return tracker.seen().isEmpty()
                    ? ReinitDecision.nothing("no drift: this replica follows the leader")
                    : ReinitDecision.nothing("drift seen (" + describe(tracker) + ") but not yet for long enough");
        }
        DriftSignal s = confirmed.get();
        DriftTracker.Seen seen = tracker.seen().get(s);
        String drift = f.node() + " " + s.phrase() + " for " + Duration.between(seen.since(), now).toSeconds()
                + " s (" + seen.loops() + " loops)";
        if (operatorPause) {
            return ReinitDecision.hold(s, drift + ", but reinits are paused by an operator");
        }
        if (f.patroniPaused()) {
            return ReinitDecision.hold(s, drift + ", but Patroni is paused (maintenance mode)");
        }
        Optional<DriftFacts.Member> leader = f.leader();
        if (leader.isEmpty() || !leader.get().healthy()) {
            return ReinitDecision.hold(s, drift + ", but the cluster has no healthy leader to copy from");
        }
        // A replica stops streaming when its leader crashes, and Patroni's /cluster keeps listing the dead
        // leader as running until the TTL: only the leader's own agent tells us it really takes writes. And it
        // must have done so for as long as the drift has to persist, or the drift may be the leader's outage
        // (wiping the synchronous standby then leaves nobody Patroni may promote).
        if (!Boolean.TRUE.equals(f.leaderAgentUp())) {
            return ReinitDecision.hold(s, drift + ", but " + leader.get().name() + "'s agent does not confirm it takes writes"
                    + (f.leaderAgentUp() == null ? " (no gossip from it)" : " (its primary verdict is not up)")
                    + "; the drift may be the leader's own outage");
        }
        Duration need = settings.thresholds().of(s);
        Duration up = tracker.leaderUpSince().map(x -> Duration.between(x, now)).orElse(Duration.ZERO);
        if (up.compareTo(need) < 0) {
            return ReinitDecision.hold(s, drift + ", but " + leader.get().name() + " has been confirmed up for only "
                    + up.toSeconds() + " s (need " + need.toSeconds() + " s); the drift may be the leader's own outage");
        }
        long healthyOthers = f.members().stream().filter(m -> !m.name().equals(f.node()) && m.healthy()).count();
        if (healthyOthers < settings.minHealthyOthers()) {
            return ReinitDecision.hold(s, drift + ", but only " + healthyOthers + " other member(s) are healthy (need "
                    + settings.minHealthyOthers() + ")");
        }
        if (!attempts.isEmpty()) {
            Instant last = attempts.get(attempts.size() - 1);
            Instant until = last.plus(settings.cooldown());
            if (now.isBefore(until)) {
                return ReinitDecision.hold(s, drift + ", but this node was re-initialised "
                        + Duration.between(last, now).toSeconds() + " s ago (cool-down " + settings.cooldown().toSeconds() + " s)");
            }
            long lastHour = attempts.stream().filter(a -> a.isAfter(now.minus(Duration.ofHours(1)))).count();
            if (lastHour >= settings.maxPerHour()) {
                return ReinitDecision.hold(s, drift + ", but this node was re-initialised " + lastHour
                        + " times in the last hour (cap " + settings.maxPerHour() + ")");
            }
        }
        if (f.lockHolder().isPresent() && !f.lockHolder().get().equals(f.node())) {
            return ReinitDecision.hold(s, drift + ", but " + f.lockHolder().get() + " is being re-initialised; one at a time");
        }
        if (settings.dryRun()) {
            return ReinitDecision.hold(s, "dry run: would re-initialise " + f.node() + " because it " + drift.substring(f.node().length() + 1));
        }
        return ReinitDecision.reinit(s, "re-initialising " + f.node() + " because it " + drift.substring(f.node().length() + 1));
    }

    private static String describe(DriftTracker t) {
        StringBuilder b = new StringBuilder();
        t.seen().forEach((s, seen) -> b.append(b.length() == 0 ? "" : "; ").append(s.phrase())
                .append(", ").append(seen.loops()).append(" loops"));
        return b.toString();
    }
}
