package io.pgha.agent.reinit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One loop's facts for drift and safety, gathered before deciding.
 *
 * @param at             when they were gathered
 * @param node           this node's member name
 * @param patroniUp      whether this node's Patroni answered
 * @param patroniRole    as Patroni's {@code GET /patroni} says (master|primary|replica|...), null if unknown
 * @param patroniState   e.g. running, streaming, start failed, stopped, creating replica
 * @param patroniPaused  Patroni's maintenance mode
 * @param timeline       this node's timeline per Patroni, null if unknown
 * @param inRecovery     PostgreSQL's pg_is_in_recovery(), null when PostgreSQL did not answer
 * @param walReceiver    pg_stat_wal_receiver.status, null when there is none
 * @param lagBytes       this member's lag behind the leader per Patroni's /cluster, null if unknown
 * @param members        every member as Patroni's {@code GET /cluster} lists it (empty when unknown)
 * @param lockHolder     the node holding the cluster-wide reinit lock, if any
 * @param leaderAgentUp  whether the leader's own agent says {@code up} for primary in the gossip right now
 *                       (null: no gossip view, or no status from the leader's agent). Patroni's /cluster
 *                       lists a crashed leader as running until its member key expires (the TTL); its agent's
 *                       verdict turns within a loop and its lease-bound key vanishes within the lease TTL.
 */
public record DriftFacts(
        Instant at,
        String node,
        boolean patroniUp,
        String patroniRole,
        String patroniState,
        boolean patroniPaused,
        Long timeline,
        Boolean inRecovery,
        String walReceiver,
        Long lagBytes,
        List<Member> members,
        Optional<String> lockHolder,
        Boolean leaderAgentUp) {

    /** A member as Patroni's /cluster lists it. */
    public record Member(String name, String role, String state, Long timeline) {
        public boolean leader() {
            return "leader".equals(role) || "master".equals(role) || "primary".equals(role);
        }

        public boolean healthy() {
            return "running".equals(state) || "streaming".equals(state);
        }
    }

    public Optional<Member> leader() {
        return members.stream().filter(Member::leader).findFirst();
    }

    public boolean actsAsLeader() {
        boolean patroniSaysLeader = patroniRole != null && switch (patroniRole) {
            case "master", "primary", "leader", "standby_leader" -> true;
            default -> false;
        };
        return patroniSaysLeader || Boolean.FALSE.equals(inRecovery)
                || leader().map(m -> m.name().equals(node)).orElse(false);
    }
}
