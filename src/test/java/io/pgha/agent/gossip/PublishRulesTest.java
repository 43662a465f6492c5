package io.pgha.agent.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgha.agent.gossip.PublishPolicy.Decision;
import io.pgha.agent.gossip.PublishPolicy.Step;
import io.pgha.agent.hook.HookViewPolicy;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What the two policies tell the one lease publisher: what is news for the log, what is written and remembered. */
class PublishRulesTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private final PublishPolicy agents = new PublishPolicy(Duration.ofSeconds(5), Duration.ofSeconds(1));
    private final HookViewPolicy hooks = new HookViewPolicy("hook", Duration.ofSeconds(10), agents);

    @Test
    void anAgentRemembersItsStatusWithoutTimesAndLogsNeitherKeepAlivesNorFreshLeases() {
        AgentStatus s = PublishPolicyTest.status("replica", "up", "streaming, lag 3 kB", 42);
        assertEquals(s.timeless(), agents.remembered(s));
        assertSame(s, agents.stamped(s, NOW));
        assertEquals(agents.decide(s, null, false, false, null, NOW),
                agents.step(s, null, false, false, NOW.minusSeconds(1), null, NOW));
        assertTrue(agents.logged(new Decision(Step.PUT, "status changed: verdicts changed")));
        assertTrue(agents.logged(new Decision(Step.WAIT, "no health verdicts yet; nothing to publish")));
        assertFalse(agents.logged(new Decision(Step.KEEP_ALIVE, "unchanged: keep the lease alive")));
        assertFalse(agents.logged(new Decision(Step.WAIT, PublishPolicy.FRESH)));
    }

    @Test
    void aHookStampsTheTimeOfWritingAndLogsOnlyANewLease() {
        HookStatus v = hooks.starting();
        assertEquals(NOW.toEpochMilli(), hooks.stamped(v, NOW).publishedAtMillis());
        assertSame(v, hooks.remembered(v));
        assertEquals(hooks.publish(v, v, true, false, NOW.minusSeconds(20), NOW, NOW),
                hooks.step(v, v, true, false, NOW.minusSeconds(20), NOW, NOW));
        assertTrue(hooks.logged(new Decision(Step.GRANT_AND_PUT, "first publication of HAProxy's view")));
        assertFalse(hooks.logged(new Decision(Step.PUT, "HAProxy's view changed")));
    }
}
