package io.pgha.agent.metrics;

import java.time.Duration;
import java.util.function.Supplier;

/** What the agent reports about itself. Implementations must be cheap: the agent-check path calls them. */
public interface AgentMetrics {

    /** One probe of one target ("postgres", "patroni", "etcd") ended; outcome is ok|refused|timeout|error. */
    void probe(String target, Duration took, String outcome);

    /** A cycle produced a snapshot: the role PostgreSQL plays and the replica's lag (null when unknown). */
    void snapshot(String role, Long lagBytes, Duration lag);

    /** Report the age of the last snapshot whenever metrics are scraped (a stuck loop shows as a rising age). */
    void watchSnapshotAge(Supplier<Duration> age);

    /** The agent-check server answered a role with a word (up, down, drain, maint, weight). */
    void agentReply(String role, String word);

    /**
     * A gossip step ended: what is publish|hook-publish|watch|resync|confirm|skipped, outcome
     * ok|error|timeout|garbage; claim with stale|overwritten when the leader key was taken over (ClaimPolicy).
     */
    default void gossip(String what, String outcome) {
    }

    /** The hook ran one runtime-API action (kind: health-up, health-down, ready, weight, ...) or a render. */
    default void hook(String kind, String outcome) {
    }

    AgentMetrics NONE = new AgentMetrics() {
        @Override
        public void probe(String target, Duration took, String outcome) {
        }

        @Override
        public void snapshot(String role, Long lagBytes, Duration lag) {
        }

        @Override
        public void watchSnapshotAge(Supplier<Duration> age) {
        }

        @Override
        public void agentReply(String role, String word) {
        }
    };
}
