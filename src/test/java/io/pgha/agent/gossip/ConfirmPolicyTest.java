package io.pgha.agent.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgha.agent.gossip.ConfirmPolicy.Action;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfirmPolicyTest {

    static final String A = "/pgha/s/agents/n1";
    static final String H = "/pgha/s/hook/h1";

    @Test
    void table() {
        Map<String, Long> seen = Map.of(A, 10L, H, 12L);
        Object[][] rows = {
            // view leader, etcd leader, seen, in etcd, mismatches so far, action, mismatches after, reason contains
            {"n1", "n1", seen, Map.of(A, 10L, H, 12L), 0, Action.CONFIRMED, 0, "agrees"},
            {"n1", "n1", seen, Map.of(A, 10L, H, 12L), 1, Action.CONFIRMED, 0, "agrees"},
            {null, null, Map.of(), Map.of(), 0, Action.CONFIRMED, 0, "agrees"},
            {"n1", "n2", seen, seen, 0, Action.RESYNC, 0, "etcd names leader n2, the view n1"},
            {"n1", null, seen, seen, 0, Action.RESYNC, 0, "etcd names leader null"},
            {null, "n1", seen, seen, 1, Action.RESYNC, 0, "the view null"},
            // a hook rewrote its key; the event may still be queued
            {"n1", "n1", seen, Map.of(A, 10L, H, 15L), 0, Action.LOOK_AGAIN, 1, "look again"},
            {"n1", "n1", seen, Map.of(A, 10L, H, 15L), 1, Action.RESYNC, 2, "for 2 confirmations"},
            // a key the watch never delivered, and one whose deletion it never delivered
            {"n1", "n1", seen, Map.of(A, 10L, H, 12L, "/pgha/s/agents/n2", 20L), 0, Action.LOOK_AGAIN, 1, "n2"},
            {"n1", "n1", seen, Map.of(A, 10L), 1, Action.RESYNC, 2, "missed a change of the agents' or hooks' keys"},
        };
        ConfirmPolicy p = new ConfirmPolicy();
        for (Object[] r : rows) {
            @SuppressWarnings("unchecked")
            ConfirmPolicy.Decision d = p.decide((String) r[0], (String) r[1], (Map<String, Long>) r[2],
                    (Map<String, Long>) r[3], (int) r[4]);
            assertEquals(r[5], d.action(), d.reason());
            assertEquals(r[6], d.mismatches(), d.reason());
            assertTrue(d.reason().contains((String) r[7]), d.reason());
        }
    }
}
