package io.pgha.agent.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgha.agent.gossip.PublishPolicy.Step;
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
        Object[][] rows = {
            // current, written, haveLease, tampered, step, reason contains
            {null, null, false, false, Step.WAIT, "no health verdicts"},
            {replica, null, false, false, Step.GRANT_AND_PUT, "first publication"},
            {replica, replica.timeless(), false, false, Step.GRANT_AND_PUT, "lease lost"},
            {sameLater, replica.timeless(), true, false, Step.KEEP_ALIVE, "unchanged"},
            {leader, replica.timeless(), true, false, Step.PUT, "role replica -> master"},
            {sameLater, replica.timeless(), true, true, Step.PUT, "did not write"},
        };
        PublishPolicy p = new PublishPolicy();
        for (Object[] r : rows) {
            PublishPolicy.Decision d = p.decide((AgentStatus) r[0], (AgentStatus) r[1], (boolean) r[2], (boolean) r[3],
                    Instant.EPOCH);
            assertEquals(r[4], d.step(), d.reason());
            assertTrue(d.reason().contains((String) r[5]), d.reason());
        }
    }

    @Test
    void lagIsRoundedSoSmallChangesDoNotWrite() {
        assertEquals(PublishPolicy.roundLag(1_000_100L), PublishPolicy.roundLag(1_000_900L));
        assertEquals(500L, PublishPolicy.roundLag(500L));
        assertEquals(0L, PublishPolicy.roundMillis(java.time.Duration.ofMillis(300)));
        assertEquals(2000L, PublishPolicy.roundMillis(java.time.Duration.ofMillis(2300)));
    }
}
