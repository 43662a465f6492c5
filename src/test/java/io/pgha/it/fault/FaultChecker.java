package io.pgha.it.fault;

import io.pgha.it.Writer.Ack;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns what the writer and the samplers recorded into a fault's figures. Pure: every time is a System.nanoTime
 * (CLOCK_MONOTONIC, the samplers' clock too), nothing is read or waited for.
 */
public final class FaultChecker {

    public enum Rw { RW, RO, DOWN }

    /** One sample of one node's PostgreSQL. */
    public record RwSample(long nanos, int node, Rw state) {
    }

    /** Which servers HAProxy's backend primary had UP at one moment. */
    public record RouteSample(long nanos, List<String> primaryUp) {
    }

    /** Patroni's leader key at one moment: its holder, "" when the key is missing, null when etcd did not answer. */
    public record LeaderSample(long nanos, String holder) {
    }

    private final long samplePeriodNanos;
    private final long writerPeriodNanos;

    /**
     * @param samplePeriodNanos how long one PostgreSQL sample stands for (the sampler's period)
     * @param writerPeriodNanos the writer's period: a gap between acknowledgements longer than three of these is
     *                          an outage
     */
    public FaultChecker(long samplePeriodNanos, long writerPeriodNanos) {
        this.samplePeriodNanos = samplePeriodNanos;
        this.writerPeriodNanos = writerPeriodNanos;
    }

    /** The longest gap between acknowledgements that ends after {@code from}: [last ack before, first ack after]. */
    public long[] outage(List<Ack> acks, long from) {
        return outage(acks, from, Long.MIN_VALUE);
    }

    /**
     * The longest gap as above, counting also the one from the last acknowledgement to {@code end} (when the writer
     * stopped): writes that never came back are the longest outage of all, not none. Such a gap ends at {@code end}.
     */
    public long[] outage(List<Ack> acks, long from, long end) {
        List<Ack> sorted = sorted(acks);
        long[] best = null;
        if (end != Long.MIN_VALUE) {
            long last = sorted.isEmpty() ? from : Math.max(from, sorted.get(sorted.size() - 1).nanos());
            if (end - last > 3 * writerPeriodNanos) {
                best = new long[] {last, end};
            }
        }
        for (int i = 1; i < sorted.size(); i++) {
            long a = sorted.get(i - 1).nanos();
            long b = sorted.get(i).nanos();
            if (b >= from && b - a > 3 * writerPeriodNanos && (best == null || b - a > best[1] - best[0])) {
                best = new long[] {a, b};
            }
        }
        return best;
    }

    /**
     * Every gap of at least {@code minNanos} between acknowledgements that ended after {@code from}, as
     * "+a..+b s (server -> server)" relative to {@code from}: where the writes stopped and which node took them up.
     */
    public List<String> gaps(List<Ack> acks, long from, long minNanos) {
        List<Ack> sorted = sorted(acks);
        List<String> out = new java.util.ArrayList<>();
        for (int i = 1; i < sorted.size(); i++) {
            Ack a = sorted.get(i - 1);
            Ack b = sorted.get(i);
            if (b.nanos() >= from && b.nanos() - a.nanos() >= minNanos) {
                out.add(String.format(java.util.Locale.ROOT, "%+.1f..%+.1f s (%s -> %s)", (a.nanos() - from) / 1e9,
                        (b.nanos() - from) / 1e9, a.server(), b.server()));
            }
        }
        return out;
    }

    /**
     * From {@code from} until the node was seen not read-write for good: the first other sample after its last
     * read-write one (the last sample when it is read-write to the end; 0 when never read-write after {@code from}).
     * A frozen PostgreSQL reads "down" but may come back read-write when thawed: that return counts.
     */
    public double readWriteAfter(List<RwSample> samples, int node, long from) {
        List<RwSample> mine = samples.stream().filter(s -> s.node() == node && s.nanos() >= from)
                .sorted(java.util.Comparator.comparingLong(RwSample::nanos)).toList();
        int lastRw = -1;
        for (int i = 0; i < mine.size(); i++) {
            if (mine.get(i).state() == Rw.RW) {
                lastRw = i;
            }
        }
        if (lastRw < 0) {
            return 0;
        }
        RwSample end = mine.get(Math.min(lastRw + 1, mine.size() - 1));
        return (end.nanos() - from) / 1e9;
    }

    /** Seconds during which two or more nodes were read-write, each sample standing until the node's next one. */
    public double bothReadWrite(List<RwSample> samples) {
        Map<Integer, List<RwSample>> byNode = new HashMap<>();
        for (RwSample s : samples) {
            byNode.computeIfAbsent(s.node(), k -> new ArrayList<>()).add(s);
        }
        // Each node's read-write stretches as [start, end) intervals.
        List<long[]> rw = new ArrayList<>();
        for (List<RwSample> l : byNode.values()) {
            l.sort(Comparator.comparingLong(RwSample::nanos));
            for (int i = 0; i < l.size(); i++) {
                if (l.get(i).state() != Rw.RW) {
                    continue;
                }
                long start = l.get(i).nanos();
                long end = i + 1 < l.size() ? Math.min(l.get(i + 1).nanos(), start + 2 * samplePeriodNanos)
                        : start + samplePeriodNanos;
                rw.add(new long[] {start, end});
            }
        }
        return overlapOfTwoOrMore(rw) / 1e9;
    }

    /**
     * Writes acknowledged by two different servers in overlapping time: the span from each server's first to its last
     * acknowledgement, and every pair of servers whose spans overlap. A clean failover gives none (the old leader's
     * span ends before the new one's starts); a returning old leader that takes writes again gives one.
     */
    public List<String> twoWriterWindows(List<Ack> acks) {
        Map<String, long[]> spans = new LinkedHashMap<>();
        for (Ack a : sorted(acks)) {
            spans.computeIfAbsent(a.server(), k -> new long[] {a.nanos(), a.nanos()})[1] = a.nanos();
        }
        List<String> out = new ArrayList<>();
        List<String> servers = new ArrayList<>(spans.keySet());
        for (int i = 0; i < servers.size(); i++) {
            for (int j = i + 1; j < servers.size(); j++) {
                long[] x = spans.get(servers.get(i));
                long[] y = spans.get(servers.get(j));
                long overlap = Math.min(x[1], y[1]) - Math.max(x[0], y[0]);
                if (overlap > 0) {
                    out.add(servers.get(i) + " and " + servers.get(j) + " both acknowledged writes over "
                            + String.format(java.util.Locale.ROOT, "%.1f s", overlap / 1e9));
                }
            }
        }
        return out;
    }

    /** Seconds during which HAProxy had two or more servers UP in backend primary. */
    public double routedToTwo(List<RouteSample> samples) {
        double total = 0;
        for (int i = 0; i + 1 < samples.size(); i++) {
            if (samples.get(i).primaryUp().size() >= 2) {
                total += (samples.get(i + 1).nanos() - samples.get(i).nanos()) / 1e9;
            }
        }
        return total;
    }

    /**
     * From {@code from} until HAProxy stopped routing write connections to {@code server} for good (the first sample
     * after the last one that had it up); 0 when it was not routed after {@code from}. For a cut-off or hung leader
     * this is how long new writes could still be sent to it.
     */
    public double routedAfter(List<RouteSample> samples, String server, long from) {
        int last = -1;
        for (int i = 0; i < samples.size(); i++) {
            if (samples.get(i).nanos() >= from && samples.get(i).primaryUp().contains(server)) {
                last = i;
            }
        }
        if (last < 0) {
            return 0;
        }
        return (samples.get(Math.min(last + 1, samples.size() - 1)).nanos() - from) / 1e9;
    }

    /**
     * The longest stretch, in seconds, during which HAProxy routed new write connections to a server that etcd did
     * not name as the leader (the key held by another member, or missing), each route sample standing until the
     * next and judged against the latest leader sample at or before it. While etcd does not answer, nobody can say
     * who the leader is: those samples are skipped (the agents' own grace, pgha.etcd.max-unreadable, bounds them).
     */
    public double longestRoutedToNonLeader(List<RouteSample> routes, List<LeaderSample> leaders) {
        double longest = 0;
        double current = 0;
        int li = -1;
        for (int i = 0; i + 1 < routes.size(); i++) {
            RouteSample r = routes.get(i);
            while (li + 1 < leaders.size() && leaders.get(li + 1).nanos() <= r.nanos()) {
                li++;
            }
            String holder = li < 0 ? null : leaders.get(li).holder();
            if (holder == null) {
                continue; // etcd did not answer: nobody can say who the leader is; neither counted nor reset
            }
            boolean wrong = !r.primaryUp().isEmpty()
                    && (holder.isEmpty() || r.primaryUp().stream().anyMatch(s -> !s.equals(holder)));
            if (wrong) {
                current += (routes.get(i + 1).nanos() - r.nanos()) / 1e9;
                longest = Math.max(longest, current);
            } else {
                current = 0;
            }
        }
        return longest;
    }

    private static long overlapOfTwoOrMore(List<long[]> intervals) {
        TreeSet<Long> points = new TreeSet<>();
        for (long[] iv : intervals) {
            points.add(iv[0]);
            points.add(iv[1]);
        }
        long total = 0;
        Long prev = null;
        for (long p : points) {
            if (prev != null) {
                long mid = prev + (p - prev) / 2;
                int n = 0;
                for (long[] iv : intervals) {
                    if (iv[0] <= mid && mid < iv[1]) {
                        n++;
                    }
                }
                if (n >= 2) {
                    total += p - prev;
                }
            }
            prev = p;
        }
        return total;
    }

    private static List<Ack> sorted(List<Ack> acks) {
        List<Ack> s = new ArrayList<>(acks);
        s.sort(Comparator.comparingLong(Ack::nanos));
        return s;
    }
}
