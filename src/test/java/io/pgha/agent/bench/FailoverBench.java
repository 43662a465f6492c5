package io.pgha.agent.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.pgha.it.LocalCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Planned switchovers on the local cluster with a writer committing every 50 ms through HAProxy 5000, in
 * alternating HAProxy setups. Per switchover: leader-key change (an etcd watch) to the first write acknowledged
 * by the new leader, the write outage (last ack before to first ack after), and acknowledged writes missing
 * from the table afterwards. All times on this JVM's nanoTime, so the watch and the writer share one clock.
 *
 * <pre>
 * mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * PGHA_INSTANCE=1 java -cp target/test-classes:target/classes:$(cat /tmp/cp.txt) -Dpgha.repo=$PWD \
 *     io.pgha.agent.bench.FailoverBench 5 seed,hook
 * </pre>
 * Modes: seed (Patroni httpchk only, inter 3s fall 3 rise 2, retries 2, no hook), hook (the shipped
 * haproxy/haproxy.cfg with agent-check, plus the hook), hook-retries1 / hook-retries2 (the shipped config with
 * primary's retries 1 / 2 and redispatch, plus the hook).
 */
public final class FailoverBench {

    record Mode(String name, UnaryOperator<String> config, boolean hook) { }

    record Ack(long id, long nanos, String addr) { }

    /** A failed attempt, kept for -Dbench.trace=true (what the writer saw between the key change and the ack). */
    record Failure(long nanos, String what) { }

    private static final boolean TRACE = Boolean.getBoolean("bench.trace");

    record Result(String mode, String from, String to, double keyToAckS, double outageS, long lost, long acked) { }

    private final LocalCluster cluster = LocalCluster.fromEnvironment();
    private final Path stateDir = Path.of(cluster.env("PGHA_STATE_DIR"));
    private final List<long[]> keyChanges = Collections.synchronizedList(new ArrayList<>());
    private final List<String> keyValues = Collections.synchronizedList(new ArrayList<>());
    private long nextId = System.currentTimeMillis() * 1000;

    static String seed(String cfg) {
        return cfg.replaceAll(" agent-check agent-port \"\\$\\{PGHA_AGENT_CHECK_PORT}\" agent-inter 1s agent-send \"\\w+\\\\n\"", "")
                .replace("default-server inter 1s fastinter 500ms downinter 1s fall 2 rise 1",
                        "default-server inter 3s fall 3 rise 2")
                .replace("    retries 0\n    timeout connect 500ms\n", "    retries 2\n");
    }

    static UnaryOperator<String> retries(int n) {
        return cfg -> cfg.replace("    retries 0\n", "    retries " + n + "\n");
    }

    static final Map<String, Mode> MODES = Map.of(
            "seed", new Mode("seed", FailoverBench::seed, false),
            "hook", new Mode("hook", UnaryOperator.identity(), true),
            "hook-retries1", new Mode("hook-retries1", retries(1), true),
            "hook-retries2", new Mode("hook-retries2", retries(2), true));

    public static void main(String[] args) throws Exception {
        int perMode = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<Mode> modes = new ArrayList<>();
        for (String m : (args.length > 1 ? args[1] : "seed,hook").split(",")) {
            modes.add(MODES.get(m));
        }
        new FailoverBench().run(perMode, modes);
    }

    void run(int perMode, List<Mode> modes) throws Exception {
        String shipped = Files.readString(Path.of(System.getProperty("pgha.repo", "."), "haproxy", "haproxy.cfg"));
        try (Client etcd = Client.builder().endpoints(cluster.env("ETCD_ENDPOINTS").split(",")).build();
             Connection c = awaitWriter()) {
            c.createStatement().execute("create table if not exists bench_writes(id bigint primary key, "
                    + "mode text, at timestamptz default clock_timestamp())");
            String leaderKey = cluster.env("PGHA_NAMESPACE") + "/" + cluster.env("PGHA_SCOPE") + "/leader";
            Watch.Watcher w = etcd.getWatchClient().watch(ByteSequence.from(leaderKey, StandardCharsets.UTF_8),
                    WatchOption.builder().withRequireLeader(true).build(), r -> {
                        long now = System.nanoTime();
                        for (WatchEvent e : r.getEvents()) {
                            if (e.getEventType() == WatchEvent.EventType.PUT) {
                                keyChanges.add(new long[] {now});
                                keyValues.add(e.getKeyValue().getValue().toString(StandardCharsets.UTF_8));
                            }
                        }
                    });
            List<Result> results = new ArrayList<>();
            for (int round = 0; round < perMode; round++) {
                for (Mode m : modes) {
                    setUp(m, shipped);
                    Result r = switchover(m);
                    results.add(r);
                    System.out.printf("%-14s %s -> %s: key->first ack %.3f s, outage %.3f s, lost %d of %d acked%n",
                            r.mode(), r.from(), r.to(), r.keyToAckS(), r.outageS(), r.lost(), r.acked());
                }
            }
            w.close();
            System.out.println();
            System.out.println("mode            n   key->first ack s (median/min/max)   outage s (median/min/max)   lost (total)");
            for (Mode m : modes) {
                List<Result> rs = results.stream().filter(r -> r.mode().equals(m.name())).toList();
                System.out.printf("%-14s %2d   %s          %s          %d%n", m.name(), rs.size(),
                        stats(rs.stream().map(Result::keyToAckS).toList()),
                        stats(rs.stream().map(Result::outageS).toList()),
                        rs.stream().mapToLong(Result::lost).sum());
            }
        }
        setUp(MODES.get("hook"), shipped);
    }

    static String stats(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        double med = s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
        return String.format("%.3f / %.3f / %.3f", med, s.get(0), s.get(s.size() - 1));
    }

    void setUp(Mode m, String shipped) throws Exception {
        Path cfg = stateDir.resolve("bench-" + m.name() + ".cfg");
        Files.writeString(cfg, m.config().apply(shipped));
        check(cluster.run("hook", "stop"));
        check(cluster.run("haproxy-restart", cfg.toString()));
        if (m.hook()) {
            check(cluster.run("hook", "start"));
            String url = cluster.env("HOOK_URL") + "/cluster";
            LocalCluster.await("the hook's view", Duration.ofSeconds(60), () -> {
                try {
                    return cluster.get(url).body().contains("\"confirmedAt\":\"") ? true : null;
                } catch (IllegalStateException e) {
                    return null;
                }
            });
        }
        cluster.awaitHealthy(Duration.ofSeconds(120));
        String leaderAddr = cluster.addr(cluster.nodeOf(cluster.leaderName()));
        LocalCluster.await("writes through 5000", Duration.ofSeconds(60),
                () -> leaderAddr.equals(cluster.writerAddress()) ? true : null);
        Thread.sleep(3000);
    }

    static void check(LocalCluster.Result r) {
        if (r.exit() != 0) {
            throw new IllegalStateException(r.stdout() + r.stderr());
        }
    }

    Connection awaitWriter() {
        return LocalCluster.await("a connection through 5000", Duration.ofSeconds(60), () -> {
            try {
                return cluster.viaHaproxy(5000);
            } catch (SQLException e) {
                return null;
            }
        });
    }

    Result switchover(Mode m) throws Exception {
        String from = cluster.leaderName();
        String to = cluster.syncStandby();
        String toAddr = cluster.addr(cluster.nodeOf(to));
        List<Ack> acks = Collections.synchronizedList(new ArrayList<>());
        List<Failure> failures = Collections.synchronizedList(new ArrayList<>());
        Writer writer = new Writer(m.name(), acks, failures);
        Thread t = new Thread(writer, "bench-writer");
        t.start();
        Thread.sleep(2000);
        long start = System.nanoTime();
        var resp = cluster.post("http://" + cluster.addr(cluster.nodeOf(from)) + ":8008/switchover",
                "{\"leader\":\"" + from + "\",\"candidate\":\"" + to + "\"}");
        if (resp.statusCode() != 200) {
            throw new IllegalStateException("switchover refused: " + resp.body());
        }
        Ack first = LocalCluster.await("a write acknowledged by " + to, Duration.ofSeconds(90), () -> {
            synchronized (acks) {
                return acks.stream().filter(a -> a.nanos() > start && a.addr().equals(toAddr)).findFirst().orElse(null);
            }
        });
        Thread.sleep(1500);
        writer.stop = true;
        t.join();
        long key = 0;
        synchronized (keyChanges) {
            for (int i = 0; i < keyChanges.size(); i++) {
                if (keyChanges.get(i)[0] > start && keyValues.get(i).equals(to)) {
                    key = keyChanges.get(i)[0];
                    break;
                }
            }
        }
        Ack lastBefore = null;
        for (Ack a : acks) {
            if (a.nanos() < first.nanos()) {
                lastBefore = a;
            }
        }
        if (TRACE && key != 0) {
            for (Failure f : failures) {
                if (f.nanos() > key - 2_000_000_000L) {
                    System.out.printf("    %+.3f s %s%n", (f.nanos() - key) / 1e9, f.what());
                }
            }
            System.out.printf("    %+.3f s first ack on %s%n", (first.nanos() - key) / 1e9, to);
        }
        cluster.awaitHealthy(Duration.ofSeconds(120));
        long lost = countLost(acks);
        return new Result(m.name(), from, to, key == 0 ? Double.NaN : (first.nanos() - key) / 1e9,
                (first.nanos() - lastBefore.nanos()) / 1e9, lost, acks.size());
    }

    long countLost(List<Ack> acks) throws SQLException {
        try (Connection c = awaitWriter();
             PreparedStatement ps = c.prepareStatement("select count(*) from bench_writes where id = any(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", acks.stream().map(Ack::id).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return acks.size() - rs.getLong(1);
            }
        }
    }

    final class Writer implements Runnable {
        final String mode;
        final List<Ack> acks;
        final List<Failure> failures;
        volatile boolean stop;

        Writer(String mode, List<Ack> acks, List<Failure> failures) {
            this.mode = mode;
            this.acks = acks;
            this.failures = failures;
        }

        @Override
        public void run() {
            Connection c = null;
            long next = System.nanoTime();
            while (!stop) {
                long id = nextId++;
                try {
                    if (c == null) {
                        c = cluster.viaHaproxy(5000);
                    }
                    try (PreparedStatement ps = c.prepareStatement(
                            "insert into bench_writes(id, mode) values (?, ?) returning host(inet_server_addr())")) {
                        ps.setLong(1, id);
                        ps.setString(2, mode);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            acks.add(new Ack(id, System.nanoTime(), rs.getString(1)));
                        }
                    }
                } catch (SQLException e) {
                    String msg = String.valueOf(e.getMessage());
                    failures.add(new Failure(System.nanoTime(), (c == null ? "connect: " : "insert: ")
                            + msg.substring(0, Math.min(80, msg.length()))));
                    try {
                        if (c != null) {
                            c.close();
                        }
                    } catch (SQLException ignored) {
                        // closing a broken connection
                    }
                    c = null;
                }
                next = Math.max(next + 50_000_000L, System.nanoTime());
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    try {
                        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            try {
                if (c != null) {
                    c.close();
                }
            } catch (SQLException ignored) {
                // done
            }
        }
    }
}
