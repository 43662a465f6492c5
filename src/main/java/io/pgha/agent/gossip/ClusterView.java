package io.pgha.agent.gossip;

import io.pgha.agent.node.ClaimJudgement;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything every agent (and the hook) knows about the cluster, replaced as a whole on every change so a
 * reader never sees half an update. Built only by {@link ViewParser}.
 *
 * @param leader       the value of Patroni's leader key, null while there is none
 * @param leaderSince  when this watcher saw the leader key take its current value; null when it found the
 *                     leader already there at its first read (the time it took the key is unknown)
 * @param revision     the highest etcd revision applied
 * @param skipped      values that were malformed or unknown and left out (the previous good value stays)
 * @param confirmedAt  the last time a quorum read agreed with this view; null before the first one
 * @param hooks        what each HAProxy hook published about HAProxy (hook name to its view); a value that
 *                     could not be read is there as {@link HookStatus#unreadable}
 * @param leaderClaim  how the leader key's holder got the key ({@link ClaimPolicy}); null before it is judged
 */
public record ClusterView(
        String scope,
        String leader,
        Instant leaderSince,
        Map<String, PatroniMember> members,
        Map<String, AgentStatus> agents,
        long revision,
        long skipped,
        Instant confirmedAt,
        Map<String, HookStatus> hooks,
        ClaimJudgement leaderClaim) {

    public ClusterView {
        members = Collections.unmodifiableMap(new TreeMap<>(members));
        agents = Collections.unmodifiableMap(new TreeMap<>(agents));
        hooks = Collections.unmodifiableMap(new TreeMap<>(hooks));
    }

    /** A view without hooks (what every caller built before hooks published their view). */
    public ClusterView(String scope, String leader, Instant leaderSince, Map<String, PatroniMember> members,
            Map<String, AgentStatus> agents, long revision, long skipped, Instant confirmedAt) {
        this(scope, leader, leaderSince, members, agents, revision, skipped, confirmedAt, Map.of());
    }

    /** A view whose leader claim is not judged (what callers built before claims were judged). */
    public ClusterView(String scope, String leader, Instant leaderSince, Map<String, PatroniMember> members,
            Map<String, AgentStatus> agents, long revision, long skipped, Instant confirmedAt,
            Map<String, HookStatus> hooks) {
        this(scope, leader, leaderSince, members, agents, revision, skipped, confirmedAt, hooks, null);
    }

    public static ClusterView empty(String scope) {
        return new ClusterView(scope, null, null, Map.of(), Map.of(), 0, 0, null);
    }

    ClusterView withLeader(String newLeader, Instant since) {
        return new ClusterView(scope, newLeader, since, members, agents, revision, skipped,
                confirmedAt, hooks, leaderClaim);
    }

    ClusterView withMembers(Map<String, PatroniMember> m) {
        return new ClusterView(scope, leader, leaderSince, m, agents, revision, skipped,
                confirmedAt, hooks, leaderClaim);
    }

    ClusterView withAgents(Map<String, AgentStatus> a) {
        return new ClusterView(scope, leader, leaderSince, members, a, revision, skipped,
                confirmedAt, hooks, leaderClaim);
    }

    ClusterView withHooks(Map<String, HookStatus> h) {
        return new ClusterView(scope, leader, leaderSince, members, agents, revision, skipped, confirmedAt, h,
                leaderClaim);
    }

    ClusterView withRevision(long r) {
        return new ClusterView(scope, leader, leaderSince, members, agents, Math.max(revision, r), skipped,
                confirmedAt, hooks, leaderClaim);
    }

    ClusterView withSkipped(long s) {
        return new ClusterView(scope, leader, leaderSince, members, agents, revision, s,
                confirmedAt, hooks, leaderClaim);
    }

    public ClusterView confirmed(Instant at) {
        return new ClusterView(scope, leader, leaderSince, members, agents, revision, skipped, at, hooks, leaderClaim);
    }

    ClusterView withLeaderClaim(ClaimJudgement c) {
        return new ClusterView(scope, leader, leaderSince, members, agents, revision, skipped, confirmedAt, hooks, c);
    }

    /** Whether the leader key's holder must not be routed as the writer (see {@link ClaimPolicy}). */
    public boolean leaderClaimStale() {
        return leaderClaim != null && leaderClaim.stale() && java.util.Objects.equals(leaderClaim.holder(), leader);
    }

    /**
     * Same cluster facts, ignoring bookkeeping (revision, confirmation): what listeners care about. The hooks'
     * views are left out on purpose: they describe HAProxy, not the cluster, and the hook is itself a
     * listener, so counting its own publication as a change would start another round (and run
     * pgha.hook.command) for every value it writes.
     */
    public boolean sameFacts(ClusterView o) {
        return o != null && java.util.Objects.equals(leader, o.leader) && members.equals(o.members)
                && agents.equals(o.agents) && java.util.Objects.equals(leaderClaim, o.leaderClaim);
    }
}
