package io.pgha.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.pgha.it.LocalCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local cluster itself, end to end, through the same ports and verbs a user has: it forms,
 * HAProxy routes writes and reads, a switchover moves 5000, and a crashed leader is replaced and
 * comes back as a replica.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterIT {
    private static LocalCluster cluster;

    @BeforeAll
    static void cluster() {
        cluster = LocalCluster.fromEnvironment();
        cluster.awaitHealthy(Duration.ofSeconds(120));
    }

    @Test
    @Order(1)
    void clusterFormsWithOneLeaderAndTwoStreamingReplicas() throws SQLException {
        JsonNode members = cluster.patroniCluster().path("members");
        assertEquals(3, members.size(), "members: " + members);
        List<String> leaders = new ArrayList<>();
        for (JsonNode m : members) {
            if ("leader".equals(m.path("role").asText())) {
                leaders.add(m.path("name").asText());
            } else {
                // One of them is the synchronous standby (the local cluster runs synchronous_mode).
                assertTrue(List.of("replica", "sync_standby").contains(m.path("role").asText()), "member " + m);
                // Patroni 3.0 calls a replica's state running, 4.x streaming.
                assertTrue(List.of("running", "streaming").contains(m.path("state").asText()), "member " + m);
            }
        }
        assertEquals(1, leaders.size(), "leaders: " + leaders);
        try (Connection c = cluster.node(cluster.nodeOf(leaders.get(0)))) {
            assertEquals(2, scalarLong(c, "select count(*) from pg_stat_replication where state = 'streaming'"));
        }
    }

    @Test
    @Order(2)
    void writeThroughPort5000LandsOnTheLeader() throws SQLException {
        String leader = cluster.leaderName();
        try (Connection c = cluster.viaHaproxy(5000); Statement s = c.createStatement()) {
            s.execute("create table if not exists it_writes (id bigserial primary key, note text not null)");
            s.execute("insert into it_writes (note) values ('through 5000')");
            assertEquals("f", scalar(c, "select pg_is_in_recovery()"));
            assertEquals(cluster.addr(cluster.nodeOf(leader)), scalar(c, "select host(inet_server_addr())"));
        }
    }

    @Test
    @Order(3)
    void readThroughPort5001LandsOnAStreamingReplica() throws SQLException {
        String leaderAddr = cluster.addr(cluster.nodeOf(cluster.leaderName()));
        try (Connection c = cluster.viaHaproxy(5001)) {
            assertEquals("t", scalar(c, "select pg_is_in_recovery()"));
            assertNotEquals(leaderAddr, scalar(c, "select host(inet_server_addr())"));
            await("the row written through 5000 to reach the replica", Duration.ofSeconds(10),
                    () -> scalarLong(c, "select count(*) from it_writes where note = 'through 5000'") > 0 ? true : null);
        }
    }

    @Test
    @Order(4)
    void switchoverThroughPatroniMovesTheLeaderAnd5000Follows() {
        String leader = cluster.leaderName();
        // In synchronous mode Patroni switches over only to the synchronous standby.
        String candidate = cluster.syncStandby();
        var resp = cluster.post("http://" + cluster.addr(cluster.nodeOf(leader)) + ":8008/switchover",
                "{\"leader\":\"" + leader + "\",\"candidate\":\"" + candidate + "\"}");
        assertEquals(200, resp.statusCode(), "switchover answer: " + resp.body());
        String expected = cluster.addr(cluster.nodeOf(candidate));
        await("5000 to reach the new leader " + candidate, Duration.ofSeconds(60),
                () -> expected.equals(cluster.writerAddress()) ? true : null);
        assertEquals(candidate, cluster.leaderName());
        cluster.awaitHealthy(Duration.ofSeconds(90));
    }

    @Test
    @Order(5)
    void killNodeOnTheLeaderGivesANewLeaderAndTheNodeRejoinsAsAReplica() throws SQLException {
        String leader = cluster.leaderName();
        int node = cluster.nodeOf(leader);
        LocalCluster.Result kill = cluster.run("kill-node", String.valueOf(node));
        assertEquals(0, kill.exit(), kill.stderr());
        assertTrue(kill.stdout().contains("killed -9"), kill.stdout());

        String oldAddr = cluster.addr(node);
        // Without the agent's fast path Patroni waits for the leader key's TTL (30 s here).
        String newAddr = await("5000 to reach a new leader", Duration.ofSeconds(90), () -> {
            String a = cluster.writerAddress();
            return a != null && !a.equals(oldAddr) ? a : null;
        });
        assertNotEquals(oldAddr, newAddr);

        LocalCluster.Result start = cluster.run("start-node", String.valueOf(node));
        assertEquals(0, start.exit(), start.stderr());
        cluster.awaitHealthy(Duration.ofSeconds(120));
        try (Connection c = cluster.node(node)) {
            assertEquals("t", scalar(c, "select pg_is_in_recovery()"));
            assertTrue(scalarLong(c, "select count(*) from it_writes") > 0, "the old leader lost its data");
        }
        assertFalse(leader.equals(cluster.leaderName()), "the killed node came back as leader");
    }

    static String scalar(Connection c, String sql) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    static long scalarLong(Connection c, String sql) {
        return Long.parseLong(scalar(c, sql));
    }
}
