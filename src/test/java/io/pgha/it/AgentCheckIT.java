package io.pgha.it;

import io.pgha.agent.haproxy.AgentCheckClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.pgha.it.LocalCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agents on the real local cluster, checked against Patroni's own view: the leader (per
 * Patroni's /cluster, not per the agents) is the only one up for primary; a crashed or hung leader
 * is taken out of 5000 by its own agent; garbage on the agent port is refused.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentCheckIT {
    private static LocalCluster cluster;

    @BeforeAll
    static void cluster() {
        cluster = LocalCluster.fromEnvironment();
        cluster.awaitHealthy(Duration.ofSeconds(120));
    }

    private static String ask(int node, String request) {
        try {
            return AgentCheckClient.ask(cluster.addr(node), cluster.agentCheckPort(), request, 2000);
        } catch (IOException e) {
            return "unreachable: " + e.getMessage();
        }
    }

    @Test
    @Order(1)
    void theLeaderIsUpForPrimaryAndTheReplicasAreUpForReplica() {
        // Agents converge within a few loop intervals after whatever ran before.
        await("agents to agree with Patroni", Duration.ofSeconds(15), () -> {
            String leader = cluster.leaderName();
            if (leader == null) {
                return null;
            }
            int leaderNode = cluster.nodeOf(leader);
            List<Integer> primaries = new ArrayList<>();
            for (int n = 1; n <= 3; n++) {
                String primary = ask(n, "primary\n");
                String replica = ask(n, "replica\n");
                if (primary.startsWith("up")) {
                    primaries.add(n);
                }
                boolean ok = n == leaderNode
                        ? primary.startsWith("up ready 100% #") && replica.startsWith("down #")
                        : replica.startsWith("up ready") && primary.startsWith("down #");
                if (!ok || !ask(n, null).startsWith("up ready")) {
                    throw new AssertionError("node " + n + " primary=" + primary.strip() + " replica=" + replica.strip());
                }
            }
            assertEquals(List.of(leaderNode), primaries, "exactly one agent may answer up for primary");
            return true;
        });
    }

    /** HAProxy's own agent-checks (not only this test's) reach every agent, for every role. */
    @Test
    @Order(2)
    void haproxysAgentChecksReachEveryAgent() {
        for (int n = 1; n <= 3; n++) {
            for (String role : List.of("primary", "replica", "any")) {
                double before = replies(n, role);
                int node = n;
                await("HAProxy to agent-check node " + n + " for " + role, Duration.ofSeconds(10),
                        () -> replies(node, role) >= before + 2 ? true : null);
            }
        }
    }

    /** pgha_agent_check_replies_total for one role, summed over words, from the agent's /q/metrics. */
    private static double replies(int node, String role) {
        String metrics = cluster.get("http://" + cluster.addr(node) + ":" + cluster.agentHttpPort() + "/q/metrics").body();
        double sum = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("pgha_agent_check_replies_total{") && line.contains("role=\"" + role + "\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    @Test
    @Order(3)
    void garbageOnTheAgentPortGetsBadRequest() {
        for (int n = 1; n <= 3; n++) {
            assertEquals("down #bad request\n", ask(n, "GET / HTTP/1.0\r\n\r\n"), "node " + n);
            try {
                assertEquals("down #bad request\n", AgentCheckClient.ask(cluster.addr(n), cluster.agentCheckPort(),
                        new byte[] {0x16, 0x03, 0x01, 0x00, '\n'}, 2000), "node " + n);
            } catch (IOException e) {
                throw new AssertionError("node " + n + ": " + e.getMessage(), e);
            }
            assertTrue(ask(n, "primary\n").startsWith("up") || ask(n, "primary\n").startsWith("down"),
                    "the agent on node " + n + " stopped answering after garbage");
        }
    }

    @Test
    @Order(4)
    void aHungLeaderPatroniTurnsItsPrimaryVerdictDown() {
        int leader = cluster.nodeOf(cluster.leaderName());
        long patroni = cluster.pid(leader, "patroni");
        cluster.signal(patroni, "STOP");
        try {
            long t0 = System.nanoTime();
            String reply = await("the hung leader's agent to answer down for primary", Duration.ofSeconds(5), () -> {
                String r = ask(leader, "primary\n");
                return r.startsWith("down") ? r : null;
            });
            System.out.printf("SIGSTOP of Patroni on node %d: primary verdict down after %d ms: %s%n",
                    leader, (System.nanoTime() - t0) / 1_000_000, reply.strip());
        } finally {
            cluster.signal(patroni, "CONT");
        }
        await("the leader's agent to say up again after SIGCONT", Duration.ofSeconds(15),
                () -> ask(leader, "primary\n").startsWith("up") ? true : null);
    }

    @Test
    @Order(5)
    void killNodeOnTheLeaderTurnsItsAgentDownAndHaproxyFindsTheNewLeader() {
        int leader = cluster.nodeOf(cluster.leaderName());
        String oldAddr = cluster.addr(leader);
        LocalCluster.Result kill = cluster.run("kill-node", String.valueOf(leader));
        assertEquals(0, kill.exit(), kill.stderr());
        long t0 = System.nanoTime();
        await("the killed leader's agent to answer down for primary", Duration.ofSeconds(2), () -> {
            String r = ask(leader, "primary\n");
            return r.startsWith("down") ? r : null;
        });
        System.out.printf("kill-node %d: its agent answered down for primary after %d ms%n",
                leader, (System.nanoTime() - t0) / 1_000_000);
        String newAddr = await("5000 to reach a new leader", Duration.ofSeconds(90), () -> {
            String a = cluster.writerAddress();
            return a != null && !a.equals(oldAddr) ? a : null;
        });
        assertNotEquals(oldAddr, newAddr);
        int newLeader = cluster.nodeOf(newAddr);
        await("the new leader's agent to answer up for primary", Duration.ofSeconds(10),
                () -> ask(newLeader, "primary\n").startsWith("up") ? true : null);
        assertEquals(0, cluster.run("start-node", String.valueOf(leader)).exit());
        cluster.awaitHealthy(Duration.ofSeconds(120));
    }
}
