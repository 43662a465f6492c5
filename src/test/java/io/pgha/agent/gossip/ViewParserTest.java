package io.pgha.agent.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgha.agent.etcd.KeyLayout;
import io.pgha.agent.gossip.ViewParser.KeyChange;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ViewParserTest {

    static final String AGENTS = "/pgha/postgres-ha/agents/";
    static final ViewParser PARSER = new ViewParser(new KeyLayout("/service", "postgres-ha"), AGENTS);
    static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");

    static String agentJson(String node, String extra) {
        return "{\"schema\":1,\"node\":\"" + node + "\",\"agentVersion\":\"0.1\",\"updatedAtMillis\":5,"
                + "\"role\":\"replica\",\"state\":\"running\",\"timeline\":3,\"lagBytes\":0,"
                + "\"verdicts\":{\"replica\":{\"word\":\"up\",\"weight\":100,\"cause\":\"streaming\",\"reason\":\"r\"}}"
                + extra + "}";
    }

    static ClusterView apply(ClusterView v, KeyChange... changes) {
        for (KeyChange c : changes) {
            v = PARSER.apply(v, c, T0).view();
        }
        return v;
    }

    static ClusterView healthy() {
        return apply(ClusterView.empty("postgres-ha"),
                KeyChange.put("/service/postgres-ha/leader", "patroni1", 10),
                KeyChange.put("/service/postgres-ha/members/patroni1",
                        "{\"conn_url\":\"postgres://10.0.0.11:5432/postgres\",\"api_url\":\"http://10.0.0.11:8008/patroni\","
                                + "\"state\":\"running\",\"role\":\"master\",\"timeline\":3,\"xlog_location\":123}", 11),
                KeyChange.put(AGENTS + "patroni2", agentJson("patroni2", ""), 12));
    }

    @Test
    void readsLeaderMembersAndAgents() {
        ClusterView v = healthy();
        assertEquals("patroni1", v.leader());
        assertEquals(T0, v.leaderSince());
        PatroniMember m = v.members().get("patroni1");
        assertEquals("10.0.0.11", m.host());
        assertEquals(5432, m.port());
        assertEquals("master", m.role());
        assertEquals(3L, m.timeline());
        assertEquals("up", v.agents().get("patroni2").verdict("replica").word());
        assertEquals(12, v.revision());
        assertEquals(0, v.skipped());
    }

    @Test
    void unknownFieldsAreIgnored() {
        ClusterView v = apply(healthy(), KeyChange.put(AGENTS + "patroni3",
                agentJson("patroni3", ",\"futureFact\":{\"x\":[1,2]},\"schema2\":true"), 13));
        assertEquals("running", v.agents().get("patroni3").state());
        assertEquals(0, v.skipped());
    }

    @Test
    void garbageIsSkippedCountedAndKeepsTheLastGoodValue() {
        // each row: key, value, why it is garbage
        String[][] rows = {
            {AGENTS + "patroni2", "not json at all", "agent status is not valid JSON"},
            {AGENTS + "patroni2", "[1,2,3]", "agent status is not valid JSON"},
            {AGENTS + "patroni2", "{\"node\":\"patroni2\"}", "no schema version"},
            {AGENTS + "patroni2", agentJson("patroni9", ""), "names node 'patroni9'"},
            {AGENTS + "a/b", agentJson("a", ""), "not an agent key"},
            {AGENTS + "patroni2", "{\"schema\":1,\"node\":\"patroni2\",\"timeline\":\"x\"}", "not valid JSON"},
            {"/service/postgres-ha/members/patroni1", "{{{", "member value is not JSON"},
            {"/service/postgres-ha/members/patroni1", "42", "not a JSON object"},
            {"/service/postgres-ha/leader", "", "not a member name"},
            {"/service/postgres-ha/leader", "{\"x\":1}", "not a member name"},
        };
        ClusterView good = healthy();
        for (String[] row : rows) {
            ViewParser.Update u = PARSER.apply(good, KeyChange.put(row[0], row[1], 20), T0);
            assertTrue(u.skipped().isPresent(), row[0] + "=" + row[1]);
            assertTrue(u.skipped().get().contains(row[2]), u.skipped().get());
            assertEquals(1, u.view().skipped(), row[1]);
            assertTrue(u.view().sameFacts(good), "the view must not change for " + row[1]);
        }
    }

    @Test
    void deletesRemoveAndOtherPatroniKeysAreIgnored() {
        ClusterView v = apply(healthy(),
                KeyChange.put("/service/postgres-ha/config", "{\"ttl\":30}", 20),
                KeyChange.put("/service/postgres-ha/history", "garbage", 21),
                KeyChange.delete(AGENTS + "patroni2", 22),
                KeyChange.delete("/service/postgres-ha/leader", 23));
        assertNull(v.leader());
        assertTrue(v.agents().isEmpty());
        assertEquals(0, v.skipped());
        assertEquals(23, v.revision());
    }

    @Test
    void rewritingTheSameLeaderKeepsItsSince() {
        ClusterView v = healthy();
        ClusterView again = PARSER.apply(v, KeyChange.put("/service/postgres-ha/leader", "patroni1", 30),
                T0.plusSeconds(9)).view();
        assertEquals(T0, again.leaderSince());
        ClusterView moved = PARSER.apply(v, KeyChange.put("/service/postgres-ha/leader", "patroni2", 31),
                T0.plusSeconds(9)).view();
        assertEquals(T0.plusSeconds(9), moved.leaderSince());
        assertEquals("patroni2", moved.leader());
    }
}
