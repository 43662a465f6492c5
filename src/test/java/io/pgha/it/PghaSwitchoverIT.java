package io.pgha.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgha.agent.haproxy.AgentCheckClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/pgha switchover} on the real local cluster: it refuses a candidate that is not the synchronous
 * standby and a cluster whose hook is stopped, and then switches over once, with a writer running, to the
 * synchronous standby: the new leader takes writes through 5000, no acknowledged write is lost, and the command
 * prints the outage it measured. The replica that takes no part (the async one) keeps saying {@code up} for read
 * traffic throughout, although the leader change restarts its WAL receiver: saying down would cut its sessions on 5001.
 */
class PghaSwitchoverIT {
    private static LocalCluster cluster;

    @BeforeAll
    static void cluster() {
        cluster = LocalCluster.fromEnvironment();
        cluster.awaitHealthy(Duration.ofSeconds(120));
        assertEquals(0, cluster.run("hook", "start").exit());
    }

    @AfterAll
    static void settle() {
        cluster.run("hook", "start");
        cluster.awaitHealthy(Duration.ofSeconds(120));
    }

    static LocalCluster.Result pgha(String... args) {
        List<String> cmd = new ArrayList<>(List.of("python3",
                LocalCluster.script().getParent().getParent().resolve("pgha").toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--patroni", "http://" + cluster.addr(1) + ":8008", "--agent", "http://" + cluster.addr(1) + ":" + cluster.agentHttpPort(),
                "--haproxy", cluster.env("HAPROXY_ADDR") + ":5000", "--etcd", cluster.env("ETCD_ENDPOINTS"),
                "--namespace", cluster.env("PGHA_NAMESPACE")));
        Map<String, String> env = new LinkedHashMap<>(cluster.baseEnv());
        env.put("PGUSER", "postgres");
        env.put("PGPASSWORD", cluster.secret("SUPERUSER_PASSWORD"));
        LocalCluster.Result r = LocalCluster.exec(env, cmd);
        System.out.println("pgha " + String.join(" ", args) + " -> " + r.exit() + "\n" + r.stdout() + r.stderr());
        return r;
    }

    @Test
    void refusesWhatPatroniWouldRunBlindlyThenSwitchesOverUnderAWriter() throws Exception {
        String leader = cluster.leaderName();
        String sync = cluster.syncStandby();
        String async = List.of(cluster.name(1), cluster.name(2), cluster.name(3)).stream()
                .filter(n -> !n.equals(leader) && !n.equals(sync)).findFirst().orElseThrow();

        LocalCluster.Result notSync = pgha("switchover", "--candidate", async);
        assertEquals(3, notSync.exit(), notSync.stderr());
        assertTrue(notSync.stderr().contains(async + " is not the synchronous standby"), notSync.stderr());

        assertEquals(0, cluster.run("hook", "stop").exit());
        try {
            LocalCluster.Result noHook = LocalCluster.await("a refusal naming the missing hook", Duration.ofSeconds(20), () -> {
                LocalCluster.Result r = pgha("switchover", "--dry-run");
                return r.exit() == 3 && r.stderr().contains("no pgha hook is publishing") ? r : null;
            });
            assertTrue(noHook.stderr().contains("--without-hook"), noHook.stderr());
        } finally {
            assertEquals(0, cluster.run("hook", "start").exit());
        }
        LocalCluster.await("the hook's view of HAProxy in the agents' /cluster", Duration.ofSeconds(30),
                () -> pgha("switchover", "--dry-run").exit() == 0 ? true : null);
        assertEquals(leader, cluster.leaderName(), "nothing moved before the real switchover");

        List<String> asyncSaid = new CopyOnWriteArrayList<>();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                try {
                    asyncSaid.add(AgentCheckClient.ask(cluster.addr(cluster.nodeOf(async)), cluster.agentCheckPort(),
                            "replica\n", 2000).strip());
                } catch (IOException e) {
                    asyncSaid.add("unreachable: " + e.getMessage());
                }
                LocalCluster.sleep(100);
            }
        }, "async-replica-sampler");
        sampler.start();
        try (Writer writer = new Writer(cluster, "it_pgha_switchover", 50)) {
            LocalCluster.sleep(1000);
            long before = System.nanoTime();
            LocalCluster.Result done = pgha("switchover");
            assertEquals(0, done.exit(), done.stdout() + done.stderr());
            assertTrue(done.stdout().contains("pgha switchover: " + leader + " -> " + sync + " done, write outage "),
                    done.stdout());
            assertEquals(sync, cluster.leaderName());
            Writer.Ack first = LocalCluster.await("a write acknowledged by " + sync, Duration.ofSeconds(30),
                    () -> writer.firstAckAfter(before, cluster.addr(cluster.nodeOf(leader))));
            Writer.Ack last = writer.lastAckBefore(first.nanos());
            System.out.printf("pgha switchover %s -> %s: the writer's outage %.2f s%n", leader, sync,
                    (first.nanos() - last.nanos()) / 1e9);
            // The async replica's receiver reconnects to the new leader within a few seconds of the change.
            LocalCluster.sleep(5000);
            writer.close();
            assertEquals(List.of(), writer.lostAcks(), "acknowledged writes lost");
        } finally {
            sampling.set(false);
            sampler.join(5000);
        }
        List<String> notUp = asyncSaid.stream().filter(a -> !a.startsWith("up")).toList();
        System.out.printf("%s's agent-check for replica during the switchover: %d answers, not up: %s%n", async,
                asyncSaid.size(), notUp);
        assertTrue(asyncSaid.size() > 20, "sampled " + asyncSaid.size() + " answers");
        assertEquals(List.of(), notUp, async + " stopped taking reads during the switchover");
    }
}
