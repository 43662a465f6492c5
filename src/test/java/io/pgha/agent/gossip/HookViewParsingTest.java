package io.pgha.agent.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.agent.etcd.KeyLayout;
import io.pgha.agent.gossip.ViewParser.KeyChange;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hooks' published views of HAProxy in the cluster view: read when good, shown as unreadable when not. */
class HookViewParsingTest {

    static final String HOOKS = "/pgha/postgres-ha/hook/";
    static final ViewParser PARSER = new ViewParser(new KeyLayout("/service", "postgres-ha"), ViewParserTest.AGENTS,
            HOOKS);

    static HookStatus sample() {
        return new HookStatus(1, "hook", 1_000L, true, null, null, "HAProxy agrees with etcd: patroni1 is the only writer",
                false, List.of(new HookStatus.Server("primary", "patroni1", "UP", 1, 1, 2, 0),
                        new HookStatus.Server("primary", "patroni2", "DOWN", 1, 1, 0, 0)),
                List.of(new HookStatus.Action(900, 950, 2, "set server primary/patroni2 health down", "health-down",
                        "patroni2 is not the leader (etcd names patroni1)", "ok")), 1_100, 10_000, null);
    }

    static ClusterView apply(ClusterView v, KeyChange c) {
        return PARSER.apply(v, c, ViewParserTest.T0).view();
    }

    @Test
    void whatTheHookWritesIsWhatEveryAgentReads() throws Exception {
        byte[] written = new ObjectMapper().writeValueAsBytes(sample());
        ClusterView v = apply(ViewParserTest.healthy(), new KeyChange(HOOKS + "hook", written, 40));
        assertEquals(sample(), v.hooks().get("hook"));
        assertEquals(0, v.skipped());
        assertEquals(40, v.revision());
        assertTrue(v.sameFacts(ViewParserTest.healthy()),
                "a hook's view is not a cluster fact: the hook must not start a round for its own write");
        ClusterView gone = apply(v, KeyChange.delete(HOOKS + "hook", 41));
        assertTrue(gone.hooks().isEmpty(), "a dead hook's lease takes its view away");
    }

    @Test
    void unknownFieldsAndNullEntriesAreTolerated() {
        ClusterView v = apply(ClusterView.empty("postgres-ha"), KeyChange.put(HOOKS + "h2",
                "{\"schema\":1,\"hook\":\"h2\",\"future\":{\"x\":1},\"servers\":[null,{\"backend\":\"any\"}],"
                        + "\"actions\":null}", 5));
        HookStatus h = v.hooks().get("h2");
        assertEquals(1, h.servers().size());
        assertEquals("any", h.servers().get(0).backend());
        assertEquals(List.of(), h.actions());
        assertNull(h.unreadable());
    }

    @Test
    void garbageIsShownAsUnreadableNeverAsOldState() throws Exception {
        ClusterView good = apply(ViewParserTest.healthy(),
                new KeyChange(HOOKS + "hook", new ObjectMapper().writeValueAsBytes(sample()), 40));
        // each row: value, why it is unreadable
        String[][] rows = {
            {"not json", "not valid JSON"},
            {"[1,2]", "not valid JSON"},
            {"{\"hook\":\"hook\"}", "no schema version"},
            {"{\"schema\":1,\"hook\":\"other\"}", "names hook 'other'"},
            {"{\"schema\":1,\"hook\":\"hook\",\"servers\":\"x\"}", "not valid JSON"},
            {"{\"schema\":1,\"hook\":\"hook\",\"readAtMillis\":\"soon\"}", "not valid JSON"},
            {"{\"schema\":1,\"hook\":\"hook\",\"unreadable\":\"x\"}", "claims to be unreadable"},
        };
        for (String[] row : rows) {
            ViewParser.Update u = PARSER.apply(good, KeyChange.put(HOOKS + "hook", row[0], 41), ViewParserTest.T0);
            assertTrue(u.skipped().isPresent() && u.skipped().get().contains(row[1]), row[0] + " -> " + u.skipped());
            HookStatus shown = u.view().hooks().get("hook");
            assertTrue(shown.unreadable().contains(row[1]), shown.toString());
            assertTrue(shown.servers().isEmpty(), "the last good servers must not pass for current ones");
            assertEquals(1, u.view().skipped());
            assertEquals(good.agents(), u.view().agents(), "nothing else changes");
        }
        ViewParser.Update bad = PARSER.apply(good, KeyChange.put(HOOKS + "a/b", "{}", 42), ViewParserTest.T0);
        assertTrue(bad.skipped().get().contains("not a hook key"), bad.skipped().get());
        assertEquals(Map.of("hook", sample()), bad.view().hooks());
    }

    @Test
    void aParserWithoutAHooksPrefixIgnoresHookKeys() {
        ClusterView v = ViewParserTest.apply(ViewParserTest.healthy(), KeyChange.put(HOOKS + "hook", "garbage", 50));
        assertTrue(v.hooks().isEmpty());
        assertEquals(0, v.skipped());
    }
}
