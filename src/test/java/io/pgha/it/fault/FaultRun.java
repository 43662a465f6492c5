package io.pgha.it.fault;

import io.pgha.it.LocalCluster;
import io.pgha.it.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * One fault, measured: a writer committing every 50 ms through HAProxy 5000, every node's read-write state every
 * 200 ms from inside its namespace, and HAProxy's primary backend every 100 ms, from before the fault until the
 * cluster is healthy again (a leader, two streaming replicas, a synchronous standby). The caller injects the fault
 * between {@link #faultStarts()} and {@link #faultEnds()}.
 */
public final class FaultRun implements AutoCloseable {

    static final int WRITER_MS = 50;
    static final int SAMPLE_MS = 200;

    /**
     * What one fault did.
     *
     * @param outageS      longest gap between acknowledged writes that ended after the fault started (0: none)
     * @param writesBackS  from the fault's start to the first acknowledged write after that gap
     * @param oldLeaderRwS from the fault's start until the old leader was seen not read-write for good
     * @param oldRoutedS   from the fault's start until HAProxy stopped routing writes to the old leader for good
     * @param bothRwS      seconds with two or more nodes read-write
     * @param twoWriters   pairs of nodes that acknowledged writes in overlapping time
     * @param routedTwoS   seconds HAProxy routed new write connections to two or more servers
     * @param wrongRouteS  the longest stretch HAProxy routed writes to a server etcd did not name as the leader
     * @param healedS      from the fault's end until the cluster was healthy again and a write acknowledged after it
     */
    public record Report(String fault, String patroni, int round, String oldLeader, String newLeader, int acked,
            List<Long> lost, double outageS, double writesBackS, double oldLeaderRwS, double oldRoutedS, double bothRwS,
            List<String> twoWriters, double routedTwoS, double wrongRouteS, double healedS, List<String> gaps) {

        /** False when the cluster was not healthy again within the limit ({@code healedS} is then that limit). */
        public boolean healed() {
            return healedS >= 0;
        }

        public static String header() {
            return String.format(Locale.ROOT, "%-30s %-7s %5s %-9s %-9s %6s %5s %8s %9s %8s %8s %7s %4s %6s %7s %7s",
                    "fault", "patroni", "round", "old", "new", "acked", "lost", "outage_s", "writes_s",
                    "old_rw_s", "old_rt_s", "both_rw", "2wr", "2route", "wrong_s", "heal_s");
        }

        public String row() {
            // No outage (no gap over three writer periods): nothing came "back"; no failover: no old leader's time.
            String back = writesBackS < 0 ? "never" : outageS < 1 ? "-" : String.format(Locale.ROOT, "%.2f", writesBackS);
            String oldRw = oldLeader.equals(newLeader) ? "-" : String.format(Locale.ROOT, "%.2f", oldLeaderRwS);
            String oldRt = oldLeader.equals(newLeader) ? "-" : String.format(Locale.ROOT, "%.2f", oldRoutedS);
            String heal = healed() ? String.format(Locale.ROOT, "%.1f", healedS) : "NO";
            return String.format(Locale.ROOT, "%-30s %-7s %5d %-9s %-9s %6d %5d %8.2f %9s %8s %8s %7.2f %4d %6.2f %7.2f %7s",
                    fault, patroni, round, oldLeader, newLeader, acked, lost.size(), outageS, back, oldRw, oldRt,
                    bothRwS, twoWriters.size(), routedTwoS, wrongRouteS, heal);
        }
    }

    private final LocalCluster cluster;
    private final String oldLeader;
    private final Writer writer;
    private final RwSamplers rw;
    private final RouteSampler routes;
    private final LeaderSampler leaders;
    private long startedAt;
    private long endedAt;

    private FaultRun(LocalCluster cluster, String table) throws Exception {
        this.cluster = cluster;
        this.oldLeader = cluster.leaderName();
        this.rw = new RwSamplers(cluster, cluster.baseEnv(), SAMPLE_MS);
        this.routes = new RouteSampler(Path.of(cluster.env("HAPROXY_ADMIN_SOCKET")));
        this.leaders = new LeaderSampler(cluster);
        LocalCluster.await("every node's sampler to report", Duration.ofSeconds(20), () -> rw.allReporting() ? true : null);
        this.writer = new Writer(cluster, table, WRITER_MS);
        LocalCluster.await("the writer's first acknowledged write", Duration.ofSeconds(20),
                () -> writer.acks().isEmpty() ? null : true);
        // A second of normal traffic before the fault, so the outage has a "before".
        LocalCluster.sleep(1500);
    }

    /** The cluster must be healthy. */
    public static FaultRun start(LocalCluster cluster, String table) throws Exception {
        return new FaultRun(cluster, table);
    }

    public String oldLeader() {
        return oldLeader;
    }

    public int oldLeaderNode() {
        return cluster.nodeOf(oldLeader);
    }

    /** Samples node N's read-write state too from now on (a node the fault adds). */
    public void sampleNode(int node) {
        rw.add(node);
    }

    public void faultStarts() {
        startedAt = System.nanoTime();
    }

    public void faultEnds() {
        endedAt = System.nanoTime();
    }

    public Report finish(String fault, String patroni, int round, Duration healLimit) {
        double healed;
        long deadline = System.nanoTime() + healLimit.toNanos();
        try {
            cluster.awaitHealthy(healLimit);
            // Healed includes writes acknowledged again through 5000: after etcd's quorum came back, Patroni's
            // /cluster showed the old leader healthy 0.1 s later, while the demoted leader took seconds more to be
            // promoted again and the writer had nothing yet (the bench printed "never" for writes that did return).
            while (!writer.ackedAfter(endedAt) && System.nanoTime() < deadline) {
                LocalCluster.sleep(100);
            }
            healed = writer.ackedAfter(endedAt) ? (System.nanoTime() - endedAt) / 1e9 : -1;
        } catch (AssertionError e) {
            // Reported, not thrown: the checker's figures for this round still count, and the caller decides.
            healed = -1;
        }
        // Writes on the healed cluster for a moment, then the table is read back through 5000.
        LocalCluster.sleep(1000);
        long closedAt = System.nanoTime();
        writer.close();
        List<Long> lost = writer.lostAcks();
        close();
        List<Writer.Ack> acks = writer.acks();
        FaultChecker check = new FaultChecker(rw.periodNanos(), WRITER_MS * 1_000_000L);
        long[] gap = check.outage(acks, startedAt, closedAt);
        double outage = gap == null ? 0 : (gap[1] - gap[0]) / 1e9;
        // Writes that never came back before the writer stopped: -1, printed "never".
        double back = gap == null ? 0 : gap[1] == closedAt ? -1 : Math.max(0, (gap[1] - startedAt) / 1e9);
        return new Report(fault, patroni, round, oldLeader, cluster.leaderName(), acks.size(), lost, outage, back,
                check.readWriteAfter(rw.samples(), cluster.nodeOf(oldLeader), startedAt),
                check.routedAfter(routes.samples(), oldLeader, startedAt),
                check.bothReadWrite(rw.samples()), check.twoWriterWindows(acks), check.routedToTwo(routes.samples()),
                check.longestRoutedToNonLeader(routes.samples(), leaders.samples()), healed,
                check.gaps(acks, startedAt, 1_000_000_000L));
    }

    @Override
    public void close() {
        writer.close();
        rw.close();
        routes.close();
        leaders.close();
    }
}
