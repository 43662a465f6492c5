package io.pgha.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.agent.haproxy.AgentCheckClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against the real local cluster (deploy/local/pgha-local up, agents running on every node). The leader is
 * taken from Patroni's /cluster, not from the agents, so the agents are checked against an independent view.
 */
class AgentCheckIT {

    static LocalCluster cluster;
    static List<String> nodes;
    static int port;

    @BeforeAll
    static void layout() throws Exception {
        cluster = LocalCluster.load();
        nodes = cluster.nodeAddresses();
        port = cluster.agentCheckPort();
    }

    static String ask(String addr, String request) throws Exception {
        return AgentCheckClient.ask(addr, port, request, 2000);
    }

    /** The leader's host as Patroni reports it, asking each node until one answers. */
    static String leaderHost() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (String addr : nodes) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://" + addr + ":" + cluster.patroniPort() + "/cluster"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                for (JsonNode m : new ObjectMapper().readTree(r.body()).path("members")) {
                    if ("leader".equals(m.path("role").asText())) {
                        return m.path("host").asText();
                    }
                }
            } catch (java.io.IOException e) {
                // try the next node
            }
        }
        return null;
    }

    @Test
    void leaderIsUpForPrimaryAndReplicasAreUpForReplica() throws Exception {
        // Agents converge within a few loop intervals after a switchover; give them 15 s.
        AssertionError last = null;
        for (long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos(); System.nanoTime() < deadline; ) {
            try {
                checkRoles();
                return;
            } catch (AssertionError e) {
                last = e;
                Thread.sleep(500);
            }
        }
        throw last;
    }

    private void checkRoles() throws Exception {
        String leader = leaderHost();
        assertNotNull(leader, "Patroni reports no leader");
        List<String> primaries = new ArrayList<>();
        for (String addr : nodes) {
            String primary = ask(addr, "primary\n");
            String replica = ask(addr, "replica\n");
            if (primary.startsWith("up")) {
                primaries.add(addr);
            }
            if (addr.equals(leader)) {
                assertTrue(primary.startsWith("up ready #"), addr + " (leader) primary -> " + primary);
                assertTrue(replica.startsWith("down #"), addr + " (leader) replica -> " + replica);
            } else {
                assertTrue(replica.startsWith("up ready"), addr + " replica -> " + replica);
                assertTrue(primary.startsWith("down #"), addr + " primary -> " + primary);
            }
            assertTrue(ask(addr, null).startsWith("up ready"), addr + " any");
        }
        assertEquals(List.of(leader), primaries, "exactly one agent may answer up for primary");
    }

    @Test
    void garbageGetsBadRequest() throws Exception {
        for (String addr : nodes) {
            assertEquals("down #bad request\n", ask(addr, "GET / HTTP/1.0\r\n\r\n"), addr);
            assertEquals("down #bad request\n",
                    AgentCheckClient.ask(addr, port, new byte[] {0x16, 0x03, 0x01, 0x00, '\n'}, 2000), addr);
        }
    }
}
