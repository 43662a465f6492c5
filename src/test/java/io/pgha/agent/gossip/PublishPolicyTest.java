package io.pgha.agent.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgha.agent.gossip.PublishPolicy.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PublishPolicyTest {

    static AgentStatus status(String role, String word, String reason, long at) {
        return new AgentStatus(1, "n1", "v", at, role, "running", 1L, 0L, 0L,
                Map.of("primary", new AgentStatus.VerdictView(word, 100, "c-" + word, reason)), null, null, null);
    }

    @Test
    void table() {
        AgentStatus replica = status("replica", "down", "lag 1 kB", 1);
        AgentStatus sameLater = status("replica", "down", "lag 3 kB", 2);
        AgentStatus leader = status("master", "up", "leader", 3);
        Long never = null;
        Object[][] rows = {
            // current, written, haveLease, tampered, lease renewed this many seconds ago, step, reason contains
            {null, null, false, false, never, Step.WAIT, "no health verdicts"},
            {replica, null, false, false, never, Step.GRANT_AND_PUT, "first publication"},
            {replica, replica.timeless(), false, false, 1L, Step.GRANT_AND_PUT, "lease lost"},
            {sameLater, replica.timeless(), true, false, never, Step.KEEP_ALIVE, "keep the lease alive"},
            {sameLater, replica.timeless(), true, false, 2L, Step.KEEP_ALIVE, "keep the lease alive"},
            {sameLater, replica.timeless(), true, false, 1L, Step.WAIT, "renewed less than half its TTL ago"},
            {sameLater, replica.timeless(), true, false, 0L, Step.WAIT, "renewed less than half its TTL ago"},
            {leader, replica.timeless(), true, false, 0L, Step.PUT, "role replica -> master"},
            {sameLater, replica.timeless(), true, true, 0L, Step.PUT, "did not write"},
        };
        // TTL 5 s, a tick each second: renew when the lease would be 2.5 s old at the next tick.
        PublishPolicy p = new PublishPolicy(Duration.ofSeconds(5), Duration.ofSeconds(1));
        Instant now = Instant.parse("2026-11-26T12:00:00Z");
        for (Object[] r : rows) {
            Instant renewed = r[4] == null ? null : now.minusSeconds((Long) r[4]);
            PublishPolicy.Decision d = p.decide((AgentStatus) r[0], (AgentStatus) r[1], (boolean) r[2], (boolean) r[3],
                    renewed, now);
            assertEquals(r[5], d.step(), d.reason());
            assertTrue(d.reason().contains((String) r[6]), d.reason());
        }
    }

    /** The shortest TTL the config allows (twice the interval) still renews on every tick. */
    @Test
    void shortestTtlRenewsEveryTick() {
        PublishPolicy p = new PublishPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1));
        AgentStatus s = status("replica", "up", "streaming", 1);
        Instant now = Instant.parse("2026-11-26T12:00:00Z");
        assertEquals(Step.KEEP_ALIVE, p.decide(s, s.timeless(), true, false, now, now).step());
    }

    @Test
    void lagIsRoundedSoSmallChangesDoNotWrite() {
        assertEquals(PublishPolicy.roundLag(1_000_100L), PublishPolicy.roundLag(1_000_900L));
        assertEquals(500L, PublishPolicy.roundLag(500L));
        assertEquals(0L, PublishPolicy.roundMillis(java.time.Duration.ofMillis(300)));
        assertEquals(2000L, PublishPolicy.roundMillis(java.time.Duration.ofMillis(2300)));
    }
}
