package io.pgha.agent.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgha.agent.gossip.PatroniMember;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerStateTest {

    // Captured from HAProxy 2.6 on the local cluster.
    static final String ANSWER = """
            1
            # be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port
            2 primary 1 patroni1 10.231.1.11 0 0 1 1 39 17 2 0 6 22 0 0 - 5432 - 0 8008 - - 5480
            2 primary 2 patroni2 10.231.1.12 2 1 1 1 32 15 3 2 6 22 0 0 - 5432 - 0 8008 - - 5480
            3 replicas 3 patroni3 10.231.1.13 2 8 50 100 38 17 2 0 6 22 0 0 - 5432 - 0 8008 - - 5480

            """;

    @Test
    void parsesHaproxysAnswer() {
        List<ServerState> s = ServerState.parse(ANSWER);
        assertEquals(3, s.size());
        assertTrue(s.get(0).down());
        assertFalse(s.get(0).forced());
        assertEquals("primary/patroni2", s.get(1).id());
        assertTrue(s.get(1).up() && s.get(1).forced());
        assertEquals(50, s.get(2).userWeight());
        assertTrue(s.get(2).forced());
        assertEquals(List.of(), ServerState.parse("Unknown command\n"));
    }

    @Test
    void rendersOneServerLinePerMemberSorted() {
        String template = "listen primary\n    # pgha:servers primary check port 8008\nlisten x\n";
        String out = ServerLines.render(template, List.of(
                new PatroniMember("patroni2", "replica", "running", "10.0.0.12", 5432, null, 1L, null),
                new PatroniMember("patroni1", "master", "running", "10.0.0.11", 5432, null, 1L, null),
                new PatroniMember("broken", "replica", "running", null, null, null, 1L, null)));
        assertEquals("listen primary\n    # rendered by the pgha hook from Patroni's members (backend primary)\n"
                + "    server patroni1 10.0.0.11:5432 check port 8008\n"
                + "    server patroni2 10.0.0.12:5432 check port 8008\nlisten x\n", out);
    }
}
