package io.pgha.it.fault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.pgha.it.Writer.Ack;
import io.pgha.it.fault.FaultChecker.RouteSample;
import io.pgha.it.fault.FaultChecker.Rw;
import io.pgha.it.fault.FaultChecker.RwSample;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker on hand-made recordings: a clean failover, and the Patroni 3.0.2 takeover that lost writes. */
class FaultCheckerTest {

    static final long MS = 1_000_000L;
    final FaultChecker check = new FaultChecker(200 * MS, 50 * MS);

    /** Acks every 50 ms from {@code server} between two times (ms). */
    static List<Ack> acks(String server, long fromMs, long toMs, long firstId) {
        List<Ack> out = new ArrayList<>();
        long id = firstId;
        for (long t = fromMs; t <= toMs; t += 50) {
            out.add(new Ack(id++, t * MS, server));
        }
        return out;
    }

    /** Samples every 200 ms of one node's state between two times (ms). */
    static List<RwSample> samples(int node, Rw state, long fromMs, long toMs) {
        List<RwSample> out = new ArrayList<>();
        for (long t = fromMs; t < toMs; t += 200) {
            out.add(new RwSample(t * MS, node, state));
        }
        return out;
    }

    @Test
    void aCleanFailoverHasOneOutageAndNoOverlap() {
        List<Ack> acks = new ArrayList<>(acks("10.0.0.12", 0, 1000, 1));
        acks.addAll(acks("10.0.0.11", 32_000, 40_000, 100));
        assertArrayEquals(new long[] {1000 * MS, 32_000 * MS}, check.outage(acks, 1000 * MS));
        assertEquals(List.of(), check.twoWriterWindows(acks));
        List<RwSample> s = new ArrayList<>(samples(2, Rw.RW, 0, 20_000));
        s.addAll(samples(2, Rw.RO, 20_000, 40_000));
        s.addAll(samples(1, Rw.RO, 0, 31_000));
        s.addAll(samples(1, Rw.RW, 31_000, 40_000));
        assertEquals(0.0, check.bothReadWrite(s));
        assertEquals(19.0, check.readWriteAfter(s, 2, 1000 * MS), 1e-9);
    }

    @Test
    void writesThatNeverCameBackAreTheLongestOutage() {
        List<Ack> acks = new ArrayList<>(acks("10.0.0.12", 0, 3000, 1));
        assertArrayEquals(new long[] {3000 * MS, 60_000 * MS}, check.outage(acks, 1000 * MS, 60_000 * MS));
        acks.addAll(acks("10.0.0.11", 32_000, 59_990, 100));
        assertArrayEquals(new long[] {3000 * MS, 32_000 * MS}, check.outage(acks, 1000 * MS, 60_000 * MS));
    }

    @Test
    void aFrozenLeaderThatComesBackReadWriteCountsUntilItStops() {
        // patroni2's PostgreSQL frozen at 5 s (its sampler reads "down"), thawed at 45 s still read-write, stopped at 46 s.
        List<RwSample> s = new ArrayList<>(samples(2, Rw.RW, 0, 5_000));
        s.addAll(samples(2, Rw.DOWN, 5_000, 45_000));
        s.addAll(samples(2, Rw.RW, 45_000, 46_000));
        s.addAll(samples(2, Rw.RO, 46_000, 50_000));
        assertEquals(45.0, check.readWriteAfter(s, 2, 1000 * MS), 1e-9);
        assertEquals(0.0, check.readWriteAfter(samples(2, Rw.RO, 0, 5_000), 2, 1000 * MS), 1e-9);
    }

    @Test
    void theReturningOldLeaderIsCaught() {
        // patroni2 (.12) writes, is cut off, patroni1 (.11) takes over; patroni2 returns and takes writes again.
        List<Ack> acks = new ArrayList<>(acks("10.0.0.12", 0, 1000, 1));
        acks.addAll(acks("10.0.0.11", 32_000, 60_000, 100));
        acks.addAll(acks("10.0.0.12", 62_000, 70_000, 700));
        assertEquals(List.of("10.0.0.12 and 10.0.0.11 both acknowledged writes over 28.0 s"), check.twoWriterWindows(acks));
        List<RwSample> s = new ArrayList<>(samples(2, Rw.RW, 0, 70_000));
        s.addAll(samples(1, Rw.RO, 0, 31_000));
        s.addAll(samples(1, Rw.RW, 31_000, 61_000));
        s.addAll(samples(1, Rw.RO, 61_000, 70_000));
        assertEquals(30.0, check.bothReadWrite(s), 0.21);
    }

    @Test
    void noOutageWhenWritesNeverStop() {
        assertNull(check.outage(acks("a", 0, 10_000, 1), 5000 * MS));
    }

    @Test
    void aSilentSamplerDoesNotStretchAReadWriteState() {
        // Node 1's sampler stops after one rw sample (its namespace went away): it counts for two periods at most.
        List<RwSample> s = new ArrayList<>(samples(2, Rw.RW, 0, 10_000));
        s.add(new RwSample(0, 1, Rw.RW));
        s.add(new RwSample(10_000 * MS, 1, Rw.RO));
        assertEquals(0.4, check.bothReadWrite(s), 1e-9);
    }

    @Test
    void routingToAServerEtcdDoesNotNameIsTimedByItsLongestStretch() {
        List<RouteSample> r = List.of(new RouteSample(0, List.of("patroni1")), new RouteSample(100 * MS,
                List.of("patroni1")), new RouteSample(300 * MS, List.of()), new RouteSample(900 * MS, List.of("patroni2")),
                new RouteSample(1000 * MS, List.of("patroni2")), new RouteSample(1500 * MS, List.of("patroni2")),
                new RouteSample(1600 * MS, List.of()));
        // The key moves from patroni1 to patroni2 at 50 ms: patroni1 stays routed until 300 ms (250 ms counted from
        // the sample at 100 ms); patroni2 is routed from 900 ms, while etcd is silent from 1000 to 1400 ms.
        List<FaultChecker.LeaderSample> l = List.of(new FaultChecker.LeaderSample(0, "patroni1"),
                new FaultChecker.LeaderSample(50 * MS, "patroni2"), new FaultChecker.LeaderSample(1000 * MS, null),
                new FaultChecker.LeaderSample(1400 * MS, ""));
        assertEquals(0.2, check.longestRoutedToNonLeader(r, l), 1e-9);
        List<FaultChecker.LeaderSample> expired = List.of(new FaultChecker.LeaderSample(0, "patroni2"),
                new FaultChecker.LeaderSample(950 * MS, ""));
        assertEquals(0.6, check.longestRoutedToNonLeader(r, expired), 1e-9);
    }

    @Test
    void theOldLeaderIsRoutedUntilItsLastSample() {
        List<RouteSample> r = List.of(new RouteSample(0, List.of("patroni2")), new RouteSample(1000 * MS, List.of("patroni2")),
                new RouteSample(3000 * MS, List.of("patroni2")), new RouteSample(3100 * MS, List.of()),
                new RouteSample(9000 * MS, List.of("patroni1")));
        assertEquals(2.1, check.routedAfter(r, "patroni2", 1000 * MS), 1e-9);
        assertEquals(0.0, check.routedAfter(r, "patroni3", 1000 * MS), 1e-9);
    }

    @Test
    void routedToTwoCountsOnlyTheOverlap() {
        List<RouteSample> r = List.of(new RouteSample(0, List.of("patroni1")), new RouteSample(100 * MS,
                List.of("patroni1", "patroni2")), new RouteSample(300 * MS, List.of("patroni2")),
                new RouteSample(400 * MS, List.of()));
        assertEquals(0.2, check.routedToTwo(r), 1e-9);
    }
}
