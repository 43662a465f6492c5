package io.pgha.agent.bench;

import io.pgha.it.LocalCluster;
import io.pgha.it.fault.FaultRun;
import io.pgha.it.fault.FaultRun.Report;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Faults on the local cluster, each round measured by {@link FaultRun} (a writer every 50 ms through HAProxy 5000,
 * every node's read-write state every 200 ms from inside its namespace, HAProxy's primary backend every 100 ms):
 * one table row per round, then one summary row per fault. Every fault restores itself; the cluster must heal by
 * itself (leader, two streaming replicas, a synchronous standby) before the next round.
 *
 * <pre>
 * deploy/local/bench/run FaultBench 5 leader-cut,patroni-freeze
 * PGHA_INSTANCE=2 deploy/local/bench/run FaultBench 5 patroni-freeze     # another cluster, e.g. PGHA_PATRONI=system
 * </pre>
 */
public final class FaultBench {

    interface Fault {
        void inject(LocalCluster cluster, FaultRun run) throws Exception;
    }

    static final Map<String, Fault> FAULTS = new LinkedHashMap<>();

    static {
        FAULTS.put("leader-cut", (c, run) -> {
            String n = String.valueOf(run.oldLeaderNode());
            try {
                run.faultStarts();
                check(c.run("net-cut", n));
                LocalCluster.sleep(60_000);
            } finally {
                check(c.run("net-heal", n));
                run.faultEnds();
            }
        });
        FAULTS.put("patroni-freeze", (c, run) -> {
            long pid = c.pid(run.oldLeaderNode(), "patroni");
            try {
                run.faultStarts();
                c.signal(pid, "STOP");
                LocalCluster.sleep(40_000);
            } finally {
                c.signal(pid, "CONT");
                run.faultEnds();
            }
        });
    }

    static final Map<String, String> NAMES = Map.of("leader-cut", "leader cut off 60 s",
            "patroni-freeze", "leader's Patroni frozen 40 s");

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<String> faults = List.of((args.length > 1 ? args[1] : String.join(",", FAULTS.keySet())).split(","));
        for (String f : faults) {
            if (!FAULTS.containsKey(f)) {
                throw new IllegalArgumentException("unknown fault " + f + "; known: " + FAULTS.keySet());
            }
        }
        LocalCluster cluster = LocalCluster.fromEnvironment();
        String patroni = cluster.env("PATRONI_VERSION");
        System.out.printf("fault bench: %d round(s) of %s on %s (Patroni %s), %s UTC%n", rounds, faults,
                cluster.env("PGHA_STATE_DIR"), patroni, java.time.Instant.now().toString().substring(0, 16));
        System.out.println(Report.header());
        List<Report> all = new ArrayList<>();
        for (String f : faults) {
            for (int round = 1; round <= rounds; round++) {
                cluster.awaitHealthy(Duration.ofSeconds(180));
                Report r;
                try (FaultRun run = FaultRun.start(cluster, "bench_fault")) {
                    FAULTS.get(f).inject(cluster, run);
                    r = run.finish(NAMES.get(f), patroni, round, Duration.ofSeconds(240));
                }
                all.add(r);
                System.out.println(r.row());
                r.twoWriters().forEach(w -> System.out.println("    two writers: " + w));
            }
        }
        System.out.println();
        System.out.println(String.format(Locale.ROOT, "%-28s %-7s %3s %9s %18s %18s %10s %8s %6s %8s %14s",
                "fault", "patroni", "n", "lost(all)", "writes_s med/max", "old_rw_s med/max", "both_rw_s",
                "2writer", "2route", "healed", "heal_s med/max"));
        for (String f : faults) {
            List<Report> rs = all.stream().filter(r -> r.fault().equals(NAMES.get(f))).toList();
            System.out.println(String.format(Locale.ROOT, "%-28s %-7s %3d %9d %18s %18s %10.2f %8d %6.2f %8s %14s",
                    NAMES.get(f), patroni, rs.size(), rs.stream().mapToInt(r -> r.lost().size()).sum(),
                    medMax(rs.stream().map(Report::writesBackS).toList()),
                    medMax(rs.stream().map(Report::oldLeaderRwS).toList()),
                    rs.stream().mapToDouble(Report::bothRwS).max().orElse(0),
                    rs.stream().mapToInt(r -> r.twoWriters().size()).sum(),
                    rs.stream().mapToDouble(Report::routedTwoS).max().orElse(0),
                    rs.size() + "/" + rs.size(), medMax(rs.stream().map(Report::healedS).toList())));
        }
    }

    static String medMax(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        double med = s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
        return String.format(Locale.ROOT, "%.1f / %.1f", med, s.get(s.size() - 1));
    }

    static void check(LocalCluster.Result r) {
        if (r.exit() != 0) {
            throw new IllegalStateException("pgha-local failed: " + r.stderr());
        }
    }
}
