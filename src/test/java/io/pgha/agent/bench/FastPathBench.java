package io.pgha.agent.bench;

import io.pgha.it.LocalCluster;
import io.pgha.it.Writer;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * kill -9 of the leader's Patroni and PostgreSQL, with the agents' crash fast path on and off,
 * alternating in one run on one cluster: time from the kill to the first write acknowledged by the
 * new leader through HAProxy 5000 (a writer commits every 50 ms), and acknowledged writes lost.
 * Run: deploy/local/bench/run FastPathBench [ROUNDS]
 */
public final class FastPathBench {
    private record Sample(boolean fastPath, double seconds, int lost) { }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        LocalCluster cluster = LocalCluster.fromEnvironment();
        List<Sample> samples = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (boolean on : new boolean[] {true, false}) {
                setFastPath(cluster, on);
                Sample s = killLeader(cluster, on);
                samples.add(s);
                System.out.printf("round %d, fast path %-3s: first ack after %.2f s, %d acknowledged writes lost%n",
                        round, on ? "on" : "off", s.seconds(), s.lost());
            }
        }
        setFastPath(cluster, true);
        System.out.println();
        System.out.println("| fast path | runs | median s | min s | max s | acked writes lost |");
        System.out.println("|---|---|---|---|---|---|");
        double[] medians = new double[2];
        for (boolean on : new boolean[] {true, false}) {
            List<Double> t = samples.stream().filter(x -> x.fastPath() == on).map(Sample::seconds).sorted().toList();
            int lost = samples.stream().filter(x -> x.fastPath() == on).mapToInt(Sample::lost).sum();
            double median = t.size() % 2 == 1 ? t.get(t.size() / 2) : (t.get(t.size() / 2 - 1) + t.get(t.size() / 2)) / 2;
            medians[on ? 0 : 1] = median;
            System.out.printf("| %s | %d | %.2f | %.2f | %.2f | %d |%n", on ? "on" : "off", t.size(), median,
                    t.get(0), t.get(t.size() - 1), lost);
        }
        System.out.printf("%nmedian with the fast path is %.2fx the TTL path's (%.1fx faster)%n",
                medians[0] / medians[1], medians[1] / medians[0]);
    }

    static void setFastPath(LocalCluster cluster, boolean on) {
        for (int n = 1; n <= 3; n++) {
            cluster.run("stop-node", String.valueOf(n), "agent");
            LocalCluster.Result r = cluster.run(Map.of("PGHA_FAST_PATH", Boolean.toString(on)), "start-node", String.valueOf(n), "agent");
            if (r.exit() != 0) {
                throw new IllegalStateException("start-node " + n + " agent: " + r.stderr());
            }
        }
        for (int n = 1; n <= 3; n++) {
            int node = n;
            LocalCluster.await("node " + n + "'s fast path to be " + (on ? "on" : "off"), Duration.ofSeconds(60), () -> {
                String body = cluster.get("http://" + cluster.addr(node) + ":" + cluster.agentHttpPort() + "/fast-path").body();
                return body.contains("\"running\":" + on) ? true : null;
            });
        }
    }

    private static Sample killLeader(LocalCluster cluster, boolean on) throws Exception {
        cluster.awaitHealthy(Duration.ofSeconds(180));
        int leader = cluster.nodeOf(cluster.leaderName());
        String oldAddr = cluster.addr(leader);
        Sample s;
        try (Writer writer = new Writer(cluster, "bench_fast_path", 50)) {
            LocalCluster.sleep(2000);
            long killedAt = System.nanoTime();
            LocalCluster.Result kill = cluster.run("kill-node", String.valueOf(leader));
            if (kill.exit() != 0) {
                throw new IOException("kill-node: " + kill.stderr());
            }
            Writer.Ack first = LocalCluster.await("a write acknowledged by a new leader", Duration.ofSeconds(120),
                    () -> writer.firstAckAfter(killedAt, oldAddr));
            LocalCluster.sleep(1000);
            writer.close();
            s = new Sample(on, (first.nanos() - killedAt) / 1e9, writer.lostAcks().size());
        } finally {
            cluster.run("start-node", String.valueOf(leader));
        }
        return s;
    }
}
