package io.pgha.agent.bench;

import io.pgha.it.LocalCluster;
import io.pgha.it.Writer;
import io.pgha.it.fault.FaultChecker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Events under load on the local cluster: pgbench with 8 clients through HAProxy 5000 and 4 read clients through
 * 5001 for the whole run, and per event the fault harness's writer (a row every 50 ms through 5000, every
 * acknowledgement recorded). Per event: write outage (the writer's longest gap between acknowledgements after
 * the event starts), pgbench's transactions/s in the 8 s before, from the event's start until the cluster is
 * healthy again (a leader, two streaming replicas, a synchronous standby), and the 8 s after; read attempts
 * failing on 5001 in the event; acknowledged writes lost; the replicas' peak lag (Patroni's /cluster, 0.5 s).
 *
 * <pre>
 * PGHA_INSTANCE=3 deploy/local/bench/run LoadBench 5                       # every event, 5 rounds
 * PGHA_INSTANCE=3 deploy/local/bench/run LoadBench 1 pgha,patronictl       # events by name (EVENTS' keys)
 * </pre>
 * Switchovers: {@code pgha} is {@code deploy/pgha switchover} (checks, CHECKPOINT, hand-over over etcd);
 * {@code patronictl} is Patroni 4.1.5's {@code patronictl switchover --force} to the same candidate; both with the
 * shipped HAProxy config and the hook; {@code patronictl-seed} is patronictl with the seed's HAProxy (Patroni
 * httpchk only, inter 3s fall 3 rise 2, retries 2, no hook). Every round runs the events in the same order.
 */
public final class LoadBench {

    /** What one event did, as the table prints it. */
    record Row(String event, int round, String from, String to, double outageS, double tpsBefore, double tpsDuring,
            double tpsAfter, int readsFailed, int reads, int lost, long lagPeak, double healS, String load) {

        static String header() {
            return String.format(Locale.ROOT, "%-16s %5s %-19s %8s %22s %14s %5s %8s %7s %6s",
                    "event", "round", "from -> to", "outage_s", "tps before/during/after", "reads fail/all",
                    "lost", "lag_MB", "heal_s", "load1");
        }

        String line() {
            return String.format(Locale.ROOT, "%-16s %5d %-19s %8.2f %22s %14s %5d %8.1f %7.1f %6s", event, round,
                    from + " -> " + to, outageS, String.format(Locale.ROOT, "%.0f / %.0f / %.0f", tpsBefore, tpsDuring,
                    tpsAfter), readsFailed + "/" + reads, lost, lagPeak / 1048576.0, healS, load);
        }
    }

    @FunctionalInterface
    interface Action {
        /** Injects the event and waits until it has played out. */
        void run(LoadBench b) throws Exception;
    }

    record Event(String title, Action setup, Action action, Action cleanup) { }

    static final Map<String, Event> EVENTS = new LinkedHashMap<>();
    private static final Action NONE = b -> { };

    static {
        EVENTS.put("pgha", new Event("switchover pgha", NONE, b -> b.pghaSwitchover(), NONE));
        EVENTS.put("patronictl", new Event("switchover ctl", NONE, b -> b.patronictlSwitchover(), NONE));
        EVENTS.put("patronictl-seed", new Event("switchover seed", b -> b.haproxy(true), b -> b.patronictlSwitchover(),
                b -> b.haproxy(false)));
        EVENTS.put("kill-leader", new Event("kill -9 leader", NONE, b -> b.killLeader(), NONE));
        EVENTS.put("kill-leader-ttl", new Event("kill -9 ldr, no FP", b -> FastPathBench.setFastPath(b.cluster, false),
                b -> b.killLeader(), b -> FastPathBench.setFastPath(b.cluster, true)));
        EVENTS.put("kill-replica", new Event("kill -9 sync stby", NONE, b -> b.killReplica(), NONE));
        EVENTS.put("reinit-replica", new Event("reinit replica", NONE, b -> b.reinitReplica(), NONE));
    }

    static final long WINDOW_MS = 8000;
    private static final boolean TRACE = Boolean.getBoolean("bench.trace");
    private final LocalCluster cluster = LocalCluster.fromEnvironment();
    private final Path repo = Path.of(System.getProperty("pgha.repo", "."));
    private final Path patroniHome;
    private String from;
    private String to;

    LoadBench() throws java.io.IOException {
        // pgha-local keeps the Debian version it unpacked (e.g. 4.1.5-2) in the state directory; patronictl is in it.
        String version = Files.readString(Path.of(cluster.env("PGHA_STATE_DIR"), "patroni")).strip();
        patroniHome = Path.of(System.getenv().getOrDefault("PGHA_PATRONI_CACHE", "/var/cache/pgha-local"), "patroni-" + version);
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<String> names = List.of((args.length > 1 ? args[1] : String.join(",", EVENTS.keySet())).split(","));
        for (String n : names) {
            if (!EVENTS.containsKey(n)) {
                throw new IllegalArgumentException("unknown event " + n + "; known: " + EVENTS.keySet());
            }
        }
        new LoadBench().run(rounds, names);
    }

    void run(int rounds, List<String> names) throws Exception {
        String pgbench = "/usr/lib/postgresql/15/bin/pgbench";
        cluster.awaitHealthy(Duration.ofSeconds(180));
        LoadClients.init(cluster, pgbench);
        List<Row> rows = new ArrayList<>();
        System.out.printf("load bench: %d round(s) of %s on %s (Patroni %s), pgbench 8 clients via 5000, 4 readers via"
                + " 5001, writer every 50 ms, %s UTC%n", rounds, names, cluster.env("PGHA_STATE_DIR"),
                cluster.env("PATRONI_VERSION"), java.time.Instant.now().toString().substring(0, 16));
        System.out.println(Row.header());
        try (LoadClients load = new LoadClients(cluster, pgbench, 8, 4)) {
            for (int round = 1; round <= rounds; round++) {
                for (String n : names) {
                    long began = System.nanoTime();
                    try {
                        Row r = measure(load, n, EVENTS.get(n), round);
                        rows.add(r);
                        System.out.println(r.line() + String.format(Locale.ROOT, "   (%.0f s)", (System.nanoTime() - began) / 1e9));
                    } catch (Exception | AssertionError err) {
                        // One event that failed is a finding of its own, not the end of the run.
                        System.out.printf("%-16s %5d FAILED: %s%n", n, round, String.valueOf(err.getMessage()).replace('\n', ' '));
                    }
                }
            }
            System.out.printf("(pgbench started %d times: it exits when its clients lose their connections)%n",
                    load.pgbenchStarts());
        }
        LoadSummary.print(rows, names);
    }

    Row measure(LoadClients load, String name, Event e, int round) throws Exception {
        e.setup().run(this);
        cluster.awaitHealthy(Duration.ofSeconds(180));
        Row row;
        try (Writer writer = new Writer(cluster, "bench_load", 50)) {
            LocalCluster.sleep(WINDOW_MS);
            from = cluster.leaderName();
            to = from;
            // The host's 1-minute load average as the event starts: this VM is shared, and it moves every figure.
            String loadAvg = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
            long t0 = System.currentTimeMillis();
            long n0 = System.nanoTime();
            e.action().run(this);
            cluster.awaitHealthy(Duration.ofSeconds(240));
            long t1 = System.currentTimeMillis();
            LocalCluster.sleep(WINDOW_MS);
            writer.close();
            List<Long> lost = writer.lostAcks();
            long[] gap = new FaultChecker(200_000_000L, 50_000_000L).outage(writer.acks(), n0);
            int[] reads = load.reads(t0, t1);
            if (TRACE) {
                load.readFailures(t0, t1).forEach(f -> System.out.println("    read failed " + f));
            }
            row = new Row(name, round, from, cluster.leaderName(), gap == null ? 0 : (gap[1] - gap[0]) / 1e9,
                    load.tps(t0 - WINDOW_MS, t0), load.tps(t0, t1), load.tps(t1, t1 + WINDOW_MS), reads[0], reads[1],
                    lost.size(), load.lagPeak(t0, t1 + WINDOW_MS), (t1 - t0) / 1000.0, loadAvg);
        } finally {
            e.cleanup().run(this);
        }
        return row;
    }

    void pghaSwitchover() {
        to = cluster.syncStandby();
        Map<String, String> env = new LinkedHashMap<>(cluster.baseEnv());
        env.put("PGUSER", "postgres");
        env.put("PGPASSWORD", cluster.secret("SUPERUSER_PASSWORD"));
        LocalCluster.Result r = LocalCluster.exec(env, List.of("python3", repo.resolve("deploy/pgha").toString(),
                "switchover", "--candidate", to, "--patroni", "http://" + cluster.addr(1) + ":8008",
                "--agent", "http://" + cluster.addr(1) + ":" + cluster.agentHttpPort(),
                "--haproxy", cluster.env("HAPROXY_ADDR") + ":5000", "--etcd", cluster.env("ETCD_ENDPOINTS"),
                "--namespace", cluster.env("PGHA_NAMESPACE")));
        if (TRACE) {
            r.stdout().lines().forEach(l -> System.out.println("    | " + l));
        }
        check("pgha switchover", r);
    }

    void patronictlSwitchover() {
        to = cluster.syncStandby();
        check("patronictl switchover", LocalCluster.exec(
                Map.of("PYTHONPATH", patroniHome.resolve("usr/lib/python3/dist-packages").toString()),
                List.of("/usr/bin/python3", patroniHome.resolve("usr/bin/patronictl").toString(), "-c",
                        Path.of(cluster.env("PGHA_STATE_DIR"), "node1", "patroni.yml").toString(), "switchover",
                        "--leader", from, "--candidate", to, "--force")));
        awaitWritesOn(to);
    }

    void killLeader() {
        int n = cluster.nodeOf(from);
        check("kill-node", cluster.run("kill-node", String.valueOf(n)));
        String next = LocalCluster.await("a new leader", Duration.ofSeconds(120), () -> {
            String l = cluster.leaderName();
            return l != null && !l.equals(from) ? l : null;
        });
        to = next;
        awaitWritesOn(next);
        check("start-node", cluster.run("start-node", String.valueOf(n)));
    }

    void killReplica() {
        String sync = cluster.syncStandby();
        int n = cluster.nodeOf(sync);
        check("kill-node", cluster.run("kill-node", String.valueOf(n)));
        // A crashed process is back when its supervisor restarts it; 10 s is a short restart policy.
        LocalCluster.sleep(10_000);
        check("start-node", cluster.run("start-node", String.valueOf(n)));
    }

    void reinitReplica() {
        String sync = cluster.syncStandby();
        String async = List.of(cluster.name(1), cluster.name(2), cluster.name(3)).stream()
                .filter(m -> !m.equals(from) && !m.equals(sync)).findFirst().orElseThrow();
        var r = cluster.post("http://" + cluster.addr(cluster.nodeOf(async)) + ":8008/reinitialize", "{\"force\": true}");
        if (r.statusCode() != 200) {
            throw new IllegalStateException("reinitialize " + async + ": " + r.statusCode() + " " + r.body());
        }
        LocalCluster.sleep(3000);
    }

    void awaitWritesOn(String member) {
        String addr = cluster.addr(cluster.nodeOf(member));
        LocalCluster.await("writes through 5000 on " + member, Duration.ofSeconds(120),
                () -> addr.equals(cluster.writerAddress()) ? true : null);
    }

    /** HAProxy on the seed's settings without the hook, or back on the shipped config with the hook. */
    void haproxy(boolean seed) throws Exception {
        String shipped = Files.readString(repo.resolve("haproxy/haproxy.cfg"));
        Path cfg = Path.of(cluster.env("PGHA_STATE_DIR"), seed ? "bench-seed.cfg" : "bench-shipped.cfg");
        Files.writeString(cfg, seed ? FailoverBench.seed(shipped) : shipped);
        check("hook stop", cluster.run("hook", "stop"));
        check("haproxy-restart", cluster.run("haproxy-restart", cfg.toString()));
        if (!seed) {
            check("hook start", cluster.run("hook", "start"));
        }
        cluster.awaitHealthy(Duration.ofSeconds(120));
        awaitWritesOn(cluster.leaderName());
        LocalCluster.sleep(3000);
    }

    static void check(String what, LocalCluster.Result r) {
        if (r.exit() != 0) {
            throw new IllegalStateException(what + " failed (" + r.exit() + "): " + r.stdout() + r.stderr());
        }
    }
}
