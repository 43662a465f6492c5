package io.pgha.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pgha.it.fault.FaultRun;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The two faults that lost acknowledged writes on Patroni 3.0.2 (a leader cut off for longer than the TTL, a leader's
 * Patroni frozen for longer than the TTL), each with a writer through HAProxy 5000 and every node sampled from
 * inside its namespace. Safety, checked on what was recorded: no acknowledged write missing afterwards, never two
 * nodes read-write at once, never two nodes acknowledging writes in overlapping time, never two servers routed for
 * writes, and the old leader read-write for less than the leader key's TTL (30 s): the bound before anyone else
 * can be promoted. The cluster heals by itself after each.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultIT {

    /** Patroni's ttl in the local cluster: the earliest another member can take the leader key. */
    static final double TTL_S = 30;
    private static LocalCluster cluster;

    @BeforeAll
    static void cluster() {
        cluster = LocalCluster.fromEnvironment();
        assumeTrue("netns".equals(cluster.env("PGHA_MODE")), "the faults cut a node's link: needs network namespaces");
        cluster.awaitHealthy(Duration.ofSeconds(120));
    }

    static void assertSafe(FaultRun.Report r) {
        System.out.println(FaultRun.Report.header());
        System.out.println(r.row());
        assertEquals(List.of(), r.lost(), "acknowledged writes lost");
        assertEquals(List.of(), r.twoWriters(), "two nodes acknowledged writes in overlapping time");
        assertEquals(0.0, r.bothRwS(), "seconds with two nodes read-write");
        assertEquals(0.0, r.routedTwoS(), "seconds HAProxy routed writes to two servers");
        assertTrue(r.oldLeaderRwS() < TTL_S, "the old leader stayed read-write " + r.oldLeaderRwS() + " s, past the TTL");
        assertTrue(r.acked() > 100, "the writer hardly wrote: " + r.acked());
    }

    @Test
    @Order(1)
    void aLeaderCutOffFor60sComesBackAsAReplicaAndLosesNoAcknowledgedWrite() throws Exception {
        FaultRun.Report r;
        try (FaultRun run = FaultRun.start(cluster, "it_fault_cut")) {
            String node = String.valueOf(run.oldLeaderNode());
            try {
                run.faultStarts();
                assertEquals(0, cluster.run("net-cut", node).exit());
                LocalCluster.sleep(60_000);
            } finally {
                assertEquals(0, cluster.run("net-heal", node).exit());
                run.faultEnds();
            }
            r = run.finish("leader cut off 60 s", cluster.env("PATRONI_VERSION"), 1, Duration.ofSeconds(180));
        }
        assertSafe(r);
        assertTrue(!r.newLeader().equals(r.oldLeader()), "no failover: the leader stayed " + r.oldLeader());
    }

    @Test
    @Order(2)
    void aLeaderWhosePatroniFreezesFor40sIsStoppedBeforeItsKeyExpires() throws Exception {
        FaultRun.Report r;
        try (FaultRun run = FaultRun.start(cluster, "it_fault_freeze")) {
            long patroni = cluster.pid(run.oldLeaderNode(), "patroni");
            try {
                run.faultStarts();
                cluster.signal(patroni, "STOP");
                LocalCluster.sleep(40_000);
            } finally {
                cluster.signal(patroni, "CONT");
                run.faultEnds();
            }
            r = run.finish("leader's Patroni frozen 40 s", cluster.env("PATRONI_VERSION"), 1, Duration.ofSeconds(180));
        }
        assertSafe(r);
        assertTrue(!r.newLeader().equals(r.oldLeader()), "no failover: the leader stayed " + r.oldLeader());
    }
}
