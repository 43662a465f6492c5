package io.pgha.agent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.it.LocalCluster;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load LoadBench keeps on the cluster for its whole run, each part recording what it saw with wall-clock
 * milliseconds (pgbench's progress lines carry epoch seconds): pgbench's write clients through HAProxy 5000
 * (restarted at once whenever its clients abort, as PostgreSQL 15's pgbench never reconnects), read clients
 * through 5001, and the replicas' lag from Patroni's /cluster.
 */
final class LoadClients implements AutoCloseable {

    record Tps(long millis, double tps) { }

    record Read(long millis, boolean ok, String error) { }

    record Lag(long millis, long bytes) { }

    private static final Pattern PROGRESS = Pattern.compile("progress: ([0-9.]+) s, ([0-9.]+) tps");
    private final LocalCluster cluster;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Tps> tps = new ArrayList<>();
    private final List<Read> reads = new ArrayList<>();
    private final List<Lag> lags = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile Process pgbench;
    private int pgbenchStarts;

    LoadClients(LocalCluster cluster, String pgbenchPath, int writeClients, int readClients) {
        this.cluster = cluster;
        start("pgbench", () -> pgbenchLoop(pgbenchPath, writeClients));
        for (int i = 0; i < readClients; i++) {
            start("reader-" + i, this::readLoop);
        }
        start("lag", this::lagLoop);
    }

    /** pgbench's tables through 5000 (scale 5, ~80 MB), made once and kept. */
    static void init(LocalCluster cluster, String pgbenchPath) throws Exception {
        try (Connection c = cluster.viaHaproxy(5000); var s = c.createStatement();
             var rs = s.executeQuery("select to_regclass('pgbench_accounts') is not null")) {
            rs.next();
            if (rs.getBoolean(1)) {
                return;
            }
        }
        Process p = pgbench(cluster, pgbenchPath, "-i", "-s", "5", "-q").inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("pgbench -i failed");
        }
    }

    private static ProcessBuilder pgbench(LocalCluster cluster, String path, String... args) {
        List<String> cmd = new ArrayList<>(List.of(path, "-h", cluster.env("HAPROXY_ADDR"), "-p", "5000", "-U", "postgres"));
        cmd.addAll(List.of(args));
        cmd.add("postgres");
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(Map.of("PGPASSWORD", cluster.secret("SUPERUSER_PASSWORD"), "PGCONNECT_TIMEOUT", "2"));
        return pb;
    }

    private void start(String name, Runnable r) {
        Thread t = new Thread(r, "load-" + name);
        t.setDaemon(true);
        t.start();
        threads.add(t);
    }

    private void pgbenchLoop(String path, int clients) {
        while (running.get()) {
            try {
                Process p = pgbench(cluster, path, "-n", "-c", String.valueOf(clients), "-j", "2", "-T", "36000",
                        "-P", "1", "--progress-timestamp").redirectErrorStream(true).start();
                pgbench = p;
                synchronized (tps) {
                    pgbenchStarts++;
                }
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        Matcher m = PROGRESS.matcher(line);
                        if (m.find()) {
                            synchronized (tps) {
                                tps.add(new Tps((long) (Double.parseDouble(m.group(1)) * 1000), Double.parseDouble(m.group(2))));
                            }
                        }
                    }
                }
                p.waitFor();
            } catch (Exception e) {
                // pgbench could not start or its output broke: start it again
            }
            LocalCluster.sleep(200);
        }
    }

    private void readLoop() {
        Connection c = null;
        while (running.get()) {
            boolean ok;
            String error = null;
            try {
                if (c == null) {
                    c = cluster.viaHaproxy(5001);
                }
                try (PreparedStatement ps = c.prepareStatement("select abalance from pgbench_accounts where aid = ?")) {
                    ps.setInt(1, 1 + ThreadLocalRandom.current().nextInt(500_000));
                    ps.executeQuery().close();
                }
                ok = true;
            } catch (SQLException e) {
                ok = false;
                error = (c == null ? "connect: " : "query: ") + e.getSQLState() + " " + String.valueOf(e.getMessage()).lines().findFirst().orElse("");
                try {
                    if (c != null) {
                        c.close();
                    }
                } catch (SQLException ignored) {
                    // already broken
                }
                c = null;
            }
            synchronized (reads) {
                reads.add(new Read(System.currentTimeMillis(), ok, error));
            }
            LocalCluster.sleep(50);
        }
    }

    private void lagLoop() {
        while (running.get()) {
            try {
                long max = 0;
                for (JsonNode m : cluster.patroniCluster().path("members")) {
                    if (m.path("lag").isNumber()) {
                        max = Math.max(max, m.path("lag").asLong());
                    }
                }
                synchronized (lags) {
                    lags.add(new Lag(System.currentTimeMillis(), max));
                }
            } catch (RuntimeException e) {
                // no Patroni answered this time
            }
            LocalCluster.sleep(500);
        }
    }

    /** pgbench's mean transactions/s over [from, to): seconds it reported nothing (restarting) count as 0. */
    double tps(long from, long to) {
        double sum = 0;
        synchronized (tps) {
            for (Tps t : tps) {
                if (t.millis() >= from && t.millis() < to) {
                    sum += t.tps();
                }
            }
        }
        return to > from ? sum / ((to - from) / 1000.0) : 0;
    }

    /** [failed, all] read attempts through 5001 in [from, to). */
    int[] reads(long from, long to) {
        int failed = 0;
        int all = 0;
        synchronized (reads) {
            for (Read r : reads) {
                if (r.millis() >= from && r.millis() < to) {
                    all++;
                    failed += r.ok() ? 0 : 1;
                }
            }
        }
        return new int[] {failed, all};
    }

    /** The failed reads in [from, to), each as "+seconds from `from`: error", for -Dbench.trace=true. */
    List<String> readFailures(long from, long to) {
        synchronized (reads) {
            return reads.stream().filter(r -> !r.ok() && r.millis() >= from && r.millis() < to)
                    .map(r -> String.format(java.util.Locale.ROOT, "%+.2f s %s", (r.millis() - from) / 1000.0, r.error())).toList();
        }
    }

    long lagPeak(long from, long to) {
        synchronized (lags) {
            return lags.stream().filter(l -> l.millis() >= from && l.millis() < to).mapToLong(Lag::bytes).max().orElse(0);
        }
    }

    int pgbenchStarts() {
        synchronized (tps) {
            return pgbenchStarts;
        }
    }

    @Override
    public void close() {
        running.set(false);
        Process p = pgbench;
        if (p != null) {
            p.destroy();
        }
        for (Thread t : threads) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
