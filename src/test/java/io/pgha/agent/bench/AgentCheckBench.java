package io.pgha.agent.bench;

import io.pgha.agent.haproxy.AgentCheckClient;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Agent-check load against a running agent: closed-loop runs with 1, 16 and 64 clients (each does what HAProxy
 * does: connect, send "primary\n", read the line until close), then an open-loop run paced at a fixed rate
 * (PacedChecks), whose sender never waits for the agent, so a stall shows up in p99 instead of being hidden.
 *
 * <p>Usage: {@code java -cp target/test-classes:target/classes io.pgha.agent.bench.AgentCheckBench
 * [host=127.0.0.1] [port=5480] [seconds per run=5] [paced rate/s=1000, 0 for none]}
 */
public final class AgentCheckBench {

    private AgentCheckBench() {
    }

    public static void main(String[] args) throws Exception {
        String host = args.length > 0 ? args[0] : "127.0.0.1";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 5480;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int rate = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        System.out.printf("agent-check bench against %s:%d, %d s per run, first reply: %s", host, port, seconds,
                AgentCheckClient.ask(host, port, "primary\n", 2000));
        closedLoop(host, port, 8, 2, false); // warm-up: JIT on both sides
        for (int clients : new int[] {1, 16, 64}) {
            closedLoop(host, port, clients, seconds, true);
        }
        if (rate > 0) { // 0: the paced run comes from deploy/local/bench/paced-checks.c
            paced(host, port, rate, seconds);
        }
    }

    static void closedLoop(String host, int port, int clients, int seconds, boolean print) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        AtomicLong errors = new AtomicLong();
        List<Future<long[]>> results = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            results.add(pool.submit(() -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    if (!check(host, port)) {
                        errors.incrementAndGet();
                        continue;
                    }
                    if (n == lat.length) {
                        lat = Arrays.copyOf(lat, n * 2);
                    }
                    lat[n++] = System.nanoTime() - t0;
                }
                return Arrays.copyOf(lat, n);
            }));
        }
        long[] all = merge(results);
        double took = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        if (print) {
            System.out.printf(Locale.ROOT, "clients=%-3d replies/s=%8.0f p50=%6.3f ms p99=%6.3f ms max=%7.3f ms errors=%d%n",
                    clients, all.length / took, ms(all, 0.50), ms(all, 0.99), ms(all, 1.0), errors.get());
        }
    }

    /** Open loop at {@code rate}/s from one non-blocking thread (PacedChecks), after a one-second warm-up. */
    static void paced(String host, int port, int rate, int seconds) throws Exception {
        InetSocketAddress agent = new InetSocketAddress(host, port);
        byte[] request = "primary\n".getBytes(StandardCharsets.US_ASCII);
        PacedChecks.run(agent, request, rate, 1);
        PacedChecks.Result r = PacedChecks.run(agent, request, rate, seconds);
        long[] lat = r.sortedNanos();
        System.out.printf(Locale.ROOT, "paced rate=%d/s achieved=%.0f/s p50=%6.3f ms p99=%6.3f ms max=%7.3f ms errors=%d"
                + " slip_p99=%.3f ms slip_max=%.3f ms client=java%n", rate, r.achievedPerSecond(), ms(lat, 0.50), ms(lat, 0.99),
                ms(lat, 1.0), r.errors(), r.slipP99Nanos() / 1e6, r.slipMaxNanos() / 1e6);
    }

    private static boolean check(String host, int port) {
        try {
            return AgentCheckClient.ask(host, port, "primary\n", 2000).endsWith("\n");
        } catch (Exception e) {
            return false;
        }
    }

    private static long[] merge(List<Future<long[]>> results) throws Exception {
        List<long[]> parts = new ArrayList<>();
        int n = 0;
        for (Future<long[]> f : results) {
            long[] p = f.get();
            parts.add(p);
            n += p.length;
        }
        long[] all = new long[n];
        int at = 0;
        for (long[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        Arrays.sort(all);
        return all;
    }

    private static double ms(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }
}
