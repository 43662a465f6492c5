package io.pgha.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pgha.it.fault.FaultRun;
import io.pgha.it.fault.Faults;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fault suite: each fault of {@link Faults} that the suite runs, once, with a writer through HAProxy 5000,
 * every node's read-write state sampled from inside its namespace and HAProxy's primary backend read every 100 ms.
 * Asserted on what was recorded: no acknowledged write missing afterwards, never two nodes read-write at once,
 * never two nodes acknowledging writes in overlapping time, never two servers routed for writes, HAProxy never
 * routing writes for long to a node etcd does not name, an old leader read-write for less than the leader key's
 * TTL (the earliest anyone else can be promoted), and the cluster healthy again by itself. {@code FaultBench} runs
 * the same faults several times and prints the figures.
 */
class FaultIT {

    /** Patroni's ttl in the local cluster: the earliest another member can take the leader key. */
    static final double TTL_S = 30;
    /**
     * Longest stretch HAProxy may route writes to a server etcd does not name: a leader change reaches the hook
     * through its etcd watch and is pushed to HAProxy within 0.3 s; the sampler reads every 0.1 s. Measured 0.3-0.5 s,
     * 0.94 s once on a machine at load 60: the bound leaves room for a loaded CI runner.
     */
    static final double WRONG_ROUTE_S = 2.0;
    /**
     * Longest HAProxy may keep routing writes to a leader that is cut off, hung or handed over, from the fault's
     * start: etcd unreadable for pgha.etcd.max-unreadable (5 s) turns the agent's primary verdict down, then one
     * agent-check (1 s). It must be shorter than the earliest promotion elsewhere: the key's TTL (30 s) less the
     * loop_wait (10 s) since its last renewal, 20 s.
     */
    static final double OLD_ROUTED_S = 10.0;
    /** -Dpgha.faults=a,b runs only those of the list (one fault takes minutes; the whole list ten or more). */
    static final List<String> ONLY = Arrays.stream(System.getProperty("pgha.faults", "").split(","))
            .map(String::strip).filter(f -> !f.isEmpty()).toList();
    private static LocalCluster cluster;

    @BeforeAll
    static void cluster() {
        cluster = LocalCluster.fromEnvironment();
        assumeTrue("netns".equals(cluster.env("PGHA_MODE")), "the faults cut a node's link: needs network namespaces");
        cluster.awaitHealthy(Duration.ofSeconds(120));
    }

    /**
     * Issue 20's faults 1-4 and 6 (and the two that lost writes on Patroni 3.0.2: leader-cut, patroni-freeze). Ordered
     * so that those that change the leader alternate with those that do not. node4-add-remove asserts its own routing
     * inside its injection (NodeAddRemove: 5001 reached node 4 while it was there, no server for it afterwards).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"leader-cut", "replica-cut", "patroni-freeze", "etcd-frozen", "leader-isolated",
        "etcd-quorum-lost", "postgres-freeze", "agent-killed-switchover", "hook-killed-crash", "node4-add-remove"})
    void aFaultLosesNoAcknowledgedWriteAndNeverMakesTwoWriters(String name) throws Exception {
        assumeTrue(ONLY.isEmpty() || ONLY.contains(name), "not in -Dpgha.faults=" + String.join(",", ONLY));
        Faults.Fault fault = Faults.get(name);
        cluster.awaitHealthy(Duration.ofSeconds(180));
        FaultRun.Report r;
        int oldLeader;
        try (FaultRun run = FaultRun.start(cluster, "it_fault")) {
            oldLeader = run.oldLeaderNode();
            fault.injection().inject(cluster, run);
            r = run.finish(fault.title(), cluster.env("PATRONI_VERSION"), 1, Duration.ofSeconds(240));
        }
        fault.after().run(cluster, oldLeader);
        System.out.println(FaultRun.Report.header());
        System.out.println(r.row());
        r.gaps().forEach(g -> System.out.println("    writes stopped " + g));
        assertEquals(List.of(), r.lost(), "acknowledged writes lost");
        assertEquals(List.of(), r.twoWriters(), "two nodes acknowledged writes in overlapping time");
        assertEquals(0.0, r.bothRwS(), "seconds with two nodes read-write");
        assertEquals(0.0, r.routedTwoS(), "seconds HAProxy routed writes to two servers");
        assertTrue(r.wrongRouteS() <= WRONG_ROUTE_S, "HAProxy routed writes to a node etcd did not name for "
                + r.wrongRouteS() + " s (bound " + WRONG_ROUTE_S + " s)");
        assertTrue(r.healed(), "the cluster did not heal by itself within 240 s of the fault's end");
        assertTrue(r.acked() > 100, "the writer hardly wrote: " + r.acked());
        if (fault.leaderChanges()) {
            assertNotEquals(r.oldLeader(), r.newLeader(), "no failover: the leader stayed " + r.oldLeader());
            assertTrue(r.oldLeaderRwS() < TTL_S, "the old leader stayed read-write " + r.oldLeaderRwS() + " s, past the TTL");
            assertTrue(r.oldRoutedS() <= OLD_ROUTED_S, "HAProxy routed writes to the old leader for " + r.oldRoutedS()
                    + " s after the fault began (bound " + OLD_ROUTED_S + " s)");
        }
    }
}
