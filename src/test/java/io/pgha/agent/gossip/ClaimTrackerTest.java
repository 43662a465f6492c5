package io.pgha.agent.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgha.agent.metrics.AgentMetrics;
import io.pgha.agent.node.LeaderClaim;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Creator lookups: how many reads of etcd's history a claim costs, and what a failed read leaves. */
class ClaimTrackerTest {

    private final List<Long> reads = new ArrayList<>();
    private final List<String> metrics = new ArrayList<>();
    private Optional<String> answer = Optional.of("patroni1");
    private Exception failure;

    private final ClaimTracker tracker = new ClaimTracker(revision -> {
        reads.add(revision);
        if (failure != null) {
            throw failure;
        }
        return answer;
    }, new AgentMetrics() {
        @Override
        public void gossip(String what, String outcome) {
            metrics.add(what + "/" + outcome);
        }

        @Override
        public void probe(String target, java.time.Duration took, String outcome) {
        }

        @Override
        public void snapshot(String role, Long lagBytes, java.time.Duration lag) {
        }

        @Override
        public void watchSnapshotAge(java.util.function.Supplier<java.time.Duration> age) {
        }

        @Override
        public void agentReply(String role, String word) {
        }
    });

    private static final Map<String, PatroniMember> PRIMARY1 =
            Map.of("patroni1", ClaimPolicyTest.member("patroni1", "primary", "running"));

    @Test
    void aFreshKeyCostsNoRead() {
        ClaimTracker.Judged j = tracker.judge(LeaderClaim.of("patroni1", 10, 10, 1, 7), PRIMARY1);
        assertEquals(List.of(), reads);
        assertEquals("acquired", j.judgement().cause());
    }

    @Test
    void anOverwriteIsLookedUpOnceAndJudgedStale() {
        LeaderClaim seen = LeaderClaim.of("patroni2", 1727, 1759, 2, 9);
        ClaimTracker.Judged first = tracker.judge(seen, PRIMARY1);
        ClaimTracker.Judged again = tracker.judge(seen, PRIMARY1);
        assertEquals(List.of(1727L), reads);
        assertEquals("patroni1", first.claim().creator());
        assertTrue(first.judgement().stale());
        assertTrue(again.judgement().stale());
        assertEquals(List.of("claim/stale"), metrics, "a stale claim is counted once, not per cycle");
    }

    @Test
    void aCompactedHistoryIsAskedOnceAndJudgedOnTheValue() {
        failure = new IllegalStateException("etcdserver: mvcc: required revision has been compacted");
        LeaderClaim seen = LeaderClaim.of("patroni2", 1727, 1759, 2, 9);
        assertEquals("creator-unknown", tracker.judge(seen, PRIMARY1).judgement().cause());
        assertFalse(tracker.judge(seen, PRIMARY1).judgement().stale());
        assertEquals(List.of(1727L), reads);
    }

    @Test
    void anUnreachableEtcdIsAskedAgainNextTime() {
        failure = new java.util.concurrent.TimeoutException("no answer");
        LeaderClaim seen = LeaderClaim.of("patroni2", 1727, 1759, 2, 9);
        assertNull(tracker.judge(seen, PRIMARY1).claim().creator());
        failure = null;
        assertTrue(tracker.judge(seen, PRIMARY1).judgement().stale());
        assertEquals(List.of(1727L, 1727L), reads);
    }
}
