package io.pgha.agent.gossip;

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
 */
public record ClusterView(
        String scope,
        String leader,
        Instant leaderSince,
        Map<String, PatroniMember> members,
        Map<String, AgentStatus> agents,
        long revision,
        long skipped,
        Instant confirmedAt) {

    public ClusterView {
        members = Collections.unmodifiableMap(new TreeMap<>(members));
        agents = Collections.unmodifiableMap(new TreeMap<>(agents));
    }

    public static ClusterView empty(String scope) {
        return new ClusterView(scope, null, null, Map.of(), Map.of(), 0, 0, null);
    }

    ClusterView withLeader(String newLeader, Instant since) {
        return new ClusterView(scope, newLeader, since, members, agents, revision, skipped, confirmedAt);
    }

    ClusterView withMembers(Map<String, PatroniMember> m) {
        return new ClusterView(scope, leader, leaderSince, m, agents, revision, skipped, confirmedAt);
    }

    ClusterView withAgents(Map<String, AgentStatus> a) {
        return new ClusterView(scope, leader, leaderSince, members, a, revision, skipped, confirmedAt);
    }

    ClusterView withRevision(long r) {
        return new ClusterView(scope, leader, leaderSince, members, agents, Math.max(revision, r), skipped,
                confirmedAt);
    }

    ClusterView withSkipped(long s) {
        return new ClusterView(scope, leader, leaderSince, members, agents, revision, s, confirmedAt);
    }

    public ClusterView confirmed(Instant at) {
        return new ClusterView(scope, leader, leaderSince, members, agents, revision, skipped, at);
    }

    /** Same cluster facts, ignoring bookkeeping (revision, confirmation): what listeners care about. */
    public boolean sameFacts(ClusterView o) {
        return o != null && java.util.Objects.equals(leader, o.leader) && members.equals(o.members)
                && agents.equals(o.agents);
    }
}
