package io.pgha.agent.node;

/**
 * This member as {@code GET /patroni} reports it. Patroni 3.0 says {@code master}, later versions
 * {@code primary}; replicas show state {@code running} on 3.0 and {@code streaming} on newer versions.
 */
public record PatroniStatus(
        ProbeResult probe,
        String role,
        String state,
        Long timeline,
        boolean paused,
        boolean pendingRestart,
        boolean noFailover,
        boolean noLoadBalance) {

    public static PatroniStatus unreachable(ProbeResult probe) {
        return new PatroniStatus(probe, null, null, null, false, false, false, false);
    }

    public boolean reachable() {
        return probe.succeeded();
    }

    public boolean actsAsLeader() {
        return role != null && switch (role) {
            case "master", "primary", "leader" -> true;
            default -> false;
        };
    }

    public boolean running() {
        return "running".equals(state) || "streaming".equals(state);
    }
}
