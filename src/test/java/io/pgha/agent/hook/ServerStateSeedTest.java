package io.pgha.agent.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgha.agent.gossip.PatroniMember;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerStateSeedTest {

    static final String DUMP = """
            1
            # be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port
            2 primary 1 patroni1 10.0.0.11 2 0 1 1 300 15 3 4 6 23 0 0 - 5432 - 0 8008 - - 5480
            2 primary 2 patroni2 10.0.0.12 0 0 1 1 300 14 2 0 6 23 0 0 - 5432 - 0 8008 - - 5480
            3 replicas 1 patroni1 10.0.0.11 0 1 1 1 300 14 2 0 6 23 0 0 - 5432 - 0 8008 - - 5480
            3 replicas 2 patroni2 10.0.0.12 2 0 1 1 300 15 3 4 6 23 0 0 - 5432 - 0 8008 - - 5480

            """;

    static PatroniMember member(String name, String host) {
        return new PatroniMember(name, "replica", "streaming", host, 5432, null, 1L, null);
    }

    @Test
    void aMemberNewToEveryBackendIsSeededDownWithTheBackendsCheckPortsAndNoForcedState() {
        String out = ServerStateSeed.withNewServersDown(DUMP,
                List.of(member("patroni1", "10.0.0.11"), member("patroni2", "10.0.0.12"), member("patroni4", "10.0.0.14")));
        assertTrue(out.startsWith(DUMP.stripTrailing()), "the dump is kept as it was");
        assertTrue(out.contains("\n2 primary 3 patroni4 10.0.0.14 0 0 1 1 0 1 0 0 6 23 0 0 - 5432 - 0 8008 - - 5480\n"), out);
        // Copied from the backend's first line, which is in forced maint: the new one must not inherit it.
        assertTrue(out.contains("\n3 replicas 3 patroni4 10.0.0.14 0 0 1 1 0 1 0 0 6 23 0 0 - 5432 - 0 8008 - - 5480\n"), out);
        List<ServerState> parsed = ServerState.parse(out);
        assertEquals(6, parsed.size());
        assertTrue(parsed.stream().filter(s -> s.server().equals("patroni4")).allMatch(ServerState::down));
    }

    @Test
    void withoutNewMembersTheDumpIsUnchanged() {
        assertEquals(DUMP, ServerStateSeed.withNewServersDown(DUMP,
                List.of(member("patroni1", "10.0.0.11"), member("patroni2", "10.0.0.12"))));
        assertEquals(DUMP, ServerStateSeed.withNewServersDown(DUMP, List.of(member("patroni2", "10.0.0.12"))),
                "a member that left needs no line: the rendered config has no server for it");
    }

    @Test
    void aMemberWithoutAnAddressIsNotSeeded() {
        PatroniMember noAddress = new PatroniMember("patroni5", "replica", "starting", null, null, null, null, null);
        assertEquals(DUMP, ServerStateSeed.withNewServersDown(DUMP, List.of(member("patroni1", "10.0.0.11"), noAddress)));
    }
}
