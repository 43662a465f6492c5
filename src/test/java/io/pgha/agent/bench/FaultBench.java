package io.pgha.agent.bench;

import io.pgha.it.LocalCluster;
import io.pgha.it.fault.FaultRun;
import io.pgha.it.fault.Faults;
import io.pgha.it.fault.FaultRun.Report;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Faults on the local cluster, each round measured by {@link FaultRun} (a writer every 50 ms through HAProxy 5000,
 * every node's read-write state every 200 ms from inside its namespace, HAProxy's primary backend every 100 ms):
 * one table row per round, then one summary row per fault. Every fault restores itself; the cluster must heal by
 * itself (leader, two streaming replicas, a synchronous standby) before the next round.
 *
 * <pre>
 * deploy/local/bench/run FaultBench 5 leader-cut,patroni-freeze     # faults by name (Faults.names(); all when omitted)
 * PGHA_INSTANCE=2 deploy/local/bench/run FaultBench 5 patroni-freeze     # another cluster, e.g. PGHA_PATRONI=system
 * </pre>
 */
public final class FaultBench {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<String> faults = List.of((args.length > 1 ? args[1] : String.join(",", Faults.names())).split(","));
        faults.forEach(Faults::get);
        LocalCluster cluster = LocalCluster.fromEnvironment();
        String patroni = cluster.env("PATRONI_VERSION");
        System.out.printf("fault bench: %d round(s) of %s on %s (Patroni %s), %s UTC%n", rounds, faults,
                cluster.env("PGHA_STATE_DIR"), patroni, java.time.Instant.now().toString().substring(0, 16));
        System.out.println(Report.header());
        List<Report> all = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (String f : faults) {
            for (int round = 1; round <= rounds; round++) {
                Faults.Fault fault = Faults.get(f);
                Report r;
                try {
                    r = round(cluster, fault, patroni, round);
                } catch (Exception | AssertionError e) {
                    // One fault that cannot be run (a tool missing, a cluster that did not heal) is a row that says
                    // so, not the end of an hour's run; the next round starts from a healthy cluster or says why not.
                    String why = fault.title() + " round " + round + ": " + e;
                    failed.add(why);
                    System.out.println("    FAILED: " + why);
                    continue;
                }
                all.add(r);
                System.out.println(r.row() + "  load1 " + load1());
                r.gaps().forEach(g -> System.out.println("    writes stopped " + g));
                r.twoWriters().forEach(w -> System.out.println("    two writers: " + w));
                if (!r.healed()) {
                    System.out.println("    the cluster did not heal within 240 s; waiting up to 5 min more before the next round");
                }
            }
        }
        System.out.println();
        System.out.println(String.format(Locale.ROOT, "%-30s %-7s %3s %9s %16s %16s %16s %9s %7s %6s %9s %7s %14s",
                "fault", "patroni", "n", "lost(all)", "writes_s med/max", "old_rw_s med/max", "old_rt_s med/max", "both_rw_s",
                "2writer", "2route", "wrong_max", "healed", "heal_s med/max"));
        for (String f : faults) {
            String title = Faults.get(f).title();
            List<Report> rs = all.stream().filter(r -> r.fault().equals(title)).toList();
            // Figures that do not apply print "-": no outage (writes never stopped for 1 s), no leader change.
            List<Report> outages = rs.stream().filter(r -> r.outageS() >= 1).toList();
            List<Report> changed = rs.stream().filter(r -> !r.oldLeader().equals(r.newLeader())).toList();
            System.out.println(String.format(Locale.ROOT, "%-30s %-7s %3d %9d %16s %16s %16s %9.2f %7d %6.2f %9.2f %7s %14s",
                    title, patroni, rs.size(), rs.stream().mapToInt(r -> r.lost().size()).sum(),
                    medMax(outages.stream().map(Report::writesBackS).toList()),
                    medMax(changed.stream().map(Report::oldLeaderRwS).toList()),
                    medMax(changed.stream().map(Report::oldRoutedS).toList()),
                    rs.stream().mapToDouble(Report::bothRwS).max().orElse(0),
                    rs.stream().mapToInt(r -> r.twoWriters().size()).sum(),
                    rs.stream().mapToDouble(Report::routedTwoS).max().orElse(0),
                    rs.stream().mapToDouble(Report::wrongRouteS).max().orElse(0),
                    rs.stream().filter(Report::healed).count() + "/" + rs.size(),
                    medMax(rs.stream().filter(Report::healed).map(Report::healedS).toList())));
        }
        failed.forEach(f -> System.out.println("failed: " + f));
    }

    private static Report round(LocalCluster cluster, Faults.Fault fault, String patroni, int round) throws Exception {
        cluster.awaitHealthy(Duration.ofSeconds(300));
        int oldLeader = 0;
        try (FaultRun run = FaultRun.start(cluster, "bench_fault")) {
            oldLeader = run.oldLeaderNode();
            fault.injection().inject(cluster, run);
            return run.finish(fault.title(), patroni, round, Duration.ofSeconds(240));
        } finally {
            if (oldLeader > 0) {
                fault.after().run(cluster, oldLeader); // e.g. the agent back off libfaketime, also after a failure
            }
        }
    }

    /** The host's 1-minute load average: figures taken on a starved machine say so next to them. */
    static String load1() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    static String medMax(List<Double> v) {
        if (v.isEmpty()) {
            return "-";
        }
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        double med = s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
        return String.format(Locale.ROOT, "%.1f / %.1f", med, s.get(s.size() - 1));
    }
}
