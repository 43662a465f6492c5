package io.pgha.agent.bench;

import io.pgha.agent.haproxy.AgentCheckClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Agent-check load against a running agent: closed-loop runs with 1, 16 and 64 clients (each does what HAProxy
 * does: connect, send "primary\n", read the line until close), then an open-loop run paced at a fixed rate whose
 * latency is measured from the intended start, so a stall shows up in p99 instead of being hidden.
 *
 * <p>Usage: {@code java -cp target/test-classes:target/classes io.pgha.agent.bench.AgentCheckBench
 * [host=127.0.0.1] [port=5480] [seconds per run=5] [paced rate/s=1000]}
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
        paced(host, port, rate, seconds);
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

    static void paced(String host, int port, int rate, int seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(64);
        int total = rate * seconds;
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        AtomicLong errors = new AtomicLong();
        List<Future<Long>> results = new ArrayList<>(total);
        long t0 = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long intended = t0 + i * interval;
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            results.add(pool.submit(() -> {
                boolean ok = check(host, port);
                if (!ok) {
                    errors.incrementAndGet();
                }
                return System.nanoTime() - intended;
            }));
        }
        long[] lat = new long[total];
        for (int i = 0; i < total; i++) {
            lat[i] = results.get(i).get();
        }
        double took = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        Arrays.sort(lat);
        System.out.printf(Locale.ROOT, "paced rate=%d/s achieved=%.0f/s p50=%6.3f ms p99=%6.3f ms max=%7.3f ms errors=%d%n",
                rate, total / took, ms(lat, 0.50), ms(lat, 0.99), ms(lat, 1.0), errors.get());
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
