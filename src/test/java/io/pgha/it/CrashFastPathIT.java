package io.pgha.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.pgha.it.LocalCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The crash fast path on the real cluster: a crashed leader (Patroni and PostgreSQL killed -9) is
 * replaced in seconds with no acknowledged write lost and never two writers; a hung Patroni or a
 * Patroni killed alone (PostgreSQL still running) never releases the key.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashFastPathIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalCluster cluster;

    @BeforeAll
    static void cluster() {
        cluster = LocalCluster.fromEnvironment();
        cluster.awaitHealthy(Duration.ofSeconds(120));
        for (int n = 1; n <= 3; n++) {
            int node = n;
            await("the fast path to run on node " + n, Duration.ofSeconds(30),
                    () -> fastPath(node).path("running").asBoolean() ? true : null);
        }
    }

    static JsonNode fastPath(int node) {
        try {
            return JSON.readTree(cluster.get("http://" + cluster.addr(node) + ":" + cluster.agentHttpPort() + "/fast-path").body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Order(1)
    void killingTheLeadersPatroniAndPostgresGivesANewWriterWithin3sAndNoLostWrite() throws Exception {
        int leader = cluster.nodeOf(cluster.leaderName());
        String oldAddr = cluster.addr(leader);
        List<String> doubleWriters = new ArrayList<>();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                List<Integer> writers = new ArrayList<>();
                for (int n = 1; n <= 3; n++) {
                    try (Connection c = cluster.node(n); Statement s = c.createStatement();
                         var rs = s.executeQuery("select pg_is_in_recovery()")) {
                        rs.next();
                        if (!rs.getBoolean(1)) {
                            writers.add(n);
                        }
                    } catch (SQLException e) {
                        // down or starting: not a writer
                    }
                }
                if (writers.size() > 1) {
                    doubleWriters.add(System.currentTimeMillis() + ": " + writers);
                }
                LocalCluster.sleep(200);
            }
        }, "writer-sampler");
        sampler.setDaemon(true);
        sampler.start();
        try (Writer writer = new Writer(cluster, "it_fast_path", 50)) {
            LocalCluster.sleep(1500);
            long killedAt = System.nanoTime();
            assertEquals(0, cluster.run("kill-node", String.valueOf(leader)).exit());
            Writer.Ack first = await("an acknowledged write on a new leader", Duration.ofSeconds(20),
                    () -> writer.firstAckAfter(killedAt, oldAddr));
            double seconds = (first.nanos() - killedAt) / 1e9;
            System.out.printf("fast path: kill -9 of node %d's Patroni and PostgreSQL to first acknowledged write through 5000: %.2f s%n",
                    leader, seconds);
            assertTrue(seconds <= 3.0, "writes resumed after " + seconds + " s, more than 3 s");
            LocalCluster.sleep(1000);
            writer.close();
            assertEquals(List.of(), writer.lostAcks(), "acknowledged writes lost");
            assertTrue(fastPath(leader).path("releases").asLong() >= 1, "the killed node's agent did not release the key");
        } finally {
            assertEquals(0, cluster.run("start-node", String.valueOf(leader)).exit());
        }
        cluster.awaitHealthy(Duration.ofSeconds(120));
        sampling.set(false);
        sampler.join(5000);
        assertEquals(List.of(), doubleWriters, "two nodes out of recovery at once");
        // Healthy counts streaming replicas on the new leader; the killed node may still be finishing its rewind
        // and restart, so it gets its own wait, and a node that came back read-write fails at once.
        Boolean inRecovery = await("the killed node to rejoin as a replica", Duration.ofSeconds(60), () -> {
            try (Connection c = cluster.node(leader); Statement s = c.createStatement();
                 var rs = s.executeQuery("select pg_is_in_recovery()")) {
                rs.next();
                return rs.getBoolean(1);
            } catch (SQLException e) {
                return null;
            }
        });
        assertTrue(inRecovery, "the killed node came back read-write beside the new leader");
    }

    @Test
    @Order(2)
    void aHungPatroniNeverTriggersTheFastPath() {
        String leaderName = cluster.leaderName();
        int leader = cluster.nodeOf(leaderName);
        long releasesBefore = fastPath(leader).path("releases").asLong();
        long patroni = cluster.pid(leader, "patroni");
        cluster.signal(patroni, "STOP");
        try {
            String reason = await("the fast path to see the hung Patroni", Duration.ofSeconds(5), () -> {
                String r = fastPath(leader).path("decision").asText();
                return r.contains("timed out") ? r : null;
            });
            assertTrue(reason.contains("a hung Patroni is not a dead one"), reason);
            LocalCluster.sleep(4000);
            assertEquals(releasesBefore, fastPath(leader).path("releases").asLong(), "released the key of a hung Patroni");
            assertEquals(leaderName, cluster.leaderName(), "the leader changed while Patroni was only stopped");
        } finally {
            cluster.signal(patroni, "CONT");
        }
        cluster.awaitHealthy(Duration.ofSeconds(60));
    }

    @Test
    @Order(3)
    void killingOnlyPatroniNeverTriggersTheFastPath() {
        String leaderName = cluster.leaderName();
        int leader = cluster.nodeOf(leaderName);
        long releasesBefore = fastPath(leader).path("releases").asLong();
        cluster.signal(cluster.pid(leader, "patroni"), "KILL");
        try {
            String reason = await("the fast path to see Patroni gone and PostgreSQL alive", Duration.ofSeconds(5), () -> {
                String r = fastPath(leader).path("decision").asText();
                return r.contains("PostgreSQL accepts connections") ? r : null;
            });
            assertNotNull(reason);
            LocalCluster.sleep(4000);
            assertEquals(releasesBefore, fastPath(leader).path("releases").asLong(),
                    "released the key while PostgreSQL was still running");
        } finally {
            assertEquals(0, cluster.run("start-node", String.valueOf(leader), "patroni").exit());
        }
        cluster.awaitHealthy(Duration.ofSeconds(120));
    }
}
