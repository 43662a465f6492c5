package io.pgha.it.fault;

import io.pgha.it.LocalCluster;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The faults the harness knows, by name: each injects itself between {@link FaultRun#faultStarts()} and
 * {@link FaultRun#faultEnds()} and undoes itself, so the cluster can heal without help. Names are what
 * {@code FaultBench} takes on its command line; FaultIT runs some of them once.
 */
public final class Faults {

    /**
     * One fault: a sentence for the table, how to inject and undo it, and what to put back after the round is
     * measured (a process restarted for the fault, restarted as usual).
     */
    public record Fault(String name, String title, boolean leaderChanges, Injection injection, Cleanup after) {
    }

    @FunctionalInterface
    public interface Cleanup {
        void run(LocalCluster c, int oldLeaderNode) throws Exception;

        Cleanup NONE = (c, n) -> { };
    }

    @FunctionalInterface
    public interface Injection {
        void inject(LocalCluster c, FaultRun run) throws Exception;
    }

    private static final Map<String, Fault> ALL = new LinkedHashMap<>();
    private static final Cleanup PLAIN_AGENT = (c, n) -> {
        verb(c, "stop-node", String.valueOf(n), "agent");
        verb(c, "start-node", String.valueOf(n), "agent");
    };

    static {
        add("leader-cut", "leader cut off 60 s", true, (c, run) -> {
            String n = String.valueOf(run.oldLeaderNode());
            during(run, () -> verb(c, "net-cut", n), 60, () -> verb(c, "net-heal", n));
        });
        add("replica-cut", "sync standby cut off 60 s", false, (c, run) -> {
            String n = String.valueOf(c.nodeOf(c.syncStandby()));
            during(run, () -> verb(c, "net-cut", n), 60, () -> verb(c, "net-heal", n));
        });
        add("leader-isolated", "leader cut off from peers 60 s", true, (c, run) -> {
            String n = String.valueOf(run.oldLeaderNode());
            during(run, () -> verb(c, "net-isolate", n), 60, () -> verb(c, "net-heal", n));
        });
        add("leader-slow", "leader link at 256 kbit/s 60 s", false, (c, run) -> {
            String n = String.valueOf(run.oldLeaderNode());
            during(run, () -> verb(c, "net-slow", n, "256kbit"), 60, () -> verb(c, "net-heal", n));
        });
        add("etcd-quorum-lost", "etcd quorum lost 45 s", false, (c, run) -> {
            int leader = run.oldLeaderNode();
            String a = String.valueOf(leader);
            String b = String.valueOf(leader % 3 + 1);
            during(run, () -> {
                verb(c, "stop-node", a, "etcd");
                verb(c, "stop-node", b, "etcd");
            }, 45, () -> {
                verb(c, "start-node", a, "etcd");
                verb(c, "start-node", b, "etcd");
            });
        });
        add("etcd-frozen", "leader's etcd member frozen 30 s", false, (c, run) -> {
            String n = String.valueOf(run.oldLeaderNode());
            during(run, () -> verb(c, "freeze", n, "etcd"), 30, () -> verb(c, "thaw", n, "etcd"));
        });
        add("patroni-freeze", "leader's Patroni frozen 40 s", true, (c, run) -> {
            String n = String.valueOf(run.oldLeaderNode());
            during(run, () -> verb(c, "freeze", n, "patroni"), 40, () -> verb(c, "thaw", n, "patroni"));
        });
        add("postgres-freeze", "leader's PostgreSQL frozen 40 s", true, (c, run) -> {
            String n = String.valueOf(run.oldLeaderNode());
            during(run, () -> verb(c, "freeze", n, "postgres"), 40, () -> verb(c, "thaw", n, "postgres"));
        });
        add("wal-full", "leader's pg_wal volume full 30 s", true, (c, run) -> {
            // Needs the cluster made with PGHA_WAL_SIZE (each node's pg_wal on its own tmpfs); wal-fill says so if
            // not. A full volume bites when PostgreSQL needs a new segment file, not before (the writer's rows fit in
            // the current one): a burst of writes on the leader makes it need one, and PostgreSQL PANICs. The burst's
            // session dies with it, so its exit status says nothing.
            String n = String.valueOf(run.oldLeaderNode());
            try {
                verb(c, "wal-fill", n);
                run.faultStarts();
                long t0 = System.nanoTime();
                c.run("psql", n, "-q", "-c", "create table if not exists pgha_wal_burst(x text); "
                        + "insert into pgha_wal_burst select repeat(md5(g::text), 10) from generate_series(1, 300000) g");
                LocalCluster.sleep(Math.max(0, 30_000 - (System.nanoTime() - t0) / 1_000_000));
            } finally {
                verb(c, "wal-free", n);
                run.faultEnds();
            }
        });
        add("agent-killed-switchover", "leader's agent killed in a switchover", true, (c, run) -> {
            int n = run.oldLeaderNode();
            String candidate = c.syncStandby();
            long agent = c.pid(n, "agent");
            try {
                run.faultStarts();
                c.signal(agent, "KILL");
                var r = c.post("http://" + c.addr(n) + ":8008/switchover",
                        "{\"leader\": \"" + run.oldLeader() + "\", \"candidate\": \"" + candidate + "\"}");
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("switchover refused: " + r.statusCode() + " " + r.body());
                }
                LocalCluster.await("the new leader " + candidate, java.time.Duration.ofSeconds(60),
                        () -> candidate.equals(c.leaderName()) ? true : null);
                LocalCluster.sleep(5000);
            } finally {
                verb(c, "start-node", String.valueOf(n), "agent");
                run.faultEnds();
            }
        });
        add("hook-killed-crash", "hook killed in a crash failover", true, (c, run) -> {
            String n = String.valueOf(run.oldLeaderNode());
            long hook = c.pid(1, "hook");
            try {
                run.faultStarts();
                c.signal(hook, "KILL");
                verb(c, "kill-node", n);
                LocalCluster.await("a new leader", java.time.Duration.ofSeconds(60), () -> {
                    String l = c.leaderName();
                    return l != null && !l.equals(run.oldLeader()) ? true : null;
                });
                LocalCluster.sleep(5000);
            } finally {
                verb(c, "hook", "start");
                verb(c, "start-node", n, "patroni");
                run.faultEnds();
            }
        });
    }

    static {
        add("node4-add-remove", "4th node added, then removed", false, NodeAddRemove::inject);
        add("agent-clock-forward", "leader's agent clock +5 min 60 s", false, (c, run) -> clockJump(c, run, "+5m"),
                PLAIN_AGENT);
        add("agent-clock-back", "leader's agent clock -5 min 60 s", false, (c, run) -> clockJump(c, run, "-5m"),
                PLAIN_AGENT);
    }

    private static void add(String name, String title, boolean leaderChanges, Injection i) {
        ALL.put(name, new Fault(name, title, leaderChanges, i, Cleanup.NONE));
    }

    private static void add(String name, String title, boolean leaderChanges, Injection i, Cleanup after) {
        ALL.put(name, new Fault(name, title, leaderChanges, i, after));
    }

    /**
     * The leader's agent restarted under libfaketime before the fault (not measured as part of it), its wall clock
     * stepped by {@code offset} for 60 s, stepped back, and 20 s more watched: both steps, with the monotonic clock
     * untouched, must move no verdict, fence nothing and cost no write.
     */
    private static void clockJump(LocalCluster c, FaultRun run, String offset) throws Exception {
        String n = String.valueOf(run.oldLeaderNode());
        verb(c, "stop-node", n, "agent");
        LocalCluster.Result r = c.run(Map.of("PGHA_AGENT_FAKETIME", "1"), "start-node", n, "agent");
        if (r.exit() != 0) {
            throw new IllegalStateException("start-node under faketime: " + r.stderr());
        }
        LocalCluster.await("the leader's agent to answer again", java.time.Duration.ofSeconds(180), () ->
                c.get("http://" + c.addr(run.oldLeaderNode()) + ":" + c.agentHttpPort() + "/q/health/ready")
                        .statusCode() == 200 ? true : null);
        // Writes flowing again for a few seconds after the restart, so the restart is not counted as the fault.
        LocalCluster.sleep(5000);
        try {
            run.faultStarts();
            verb(c, "clock", n, offset);
            LocalCluster.sleep(60_000);
            verb(c, "clock", n, "+0");
            LocalCluster.sleep(20_000);
        } finally {
            run.faultEnds();
        }
    }

    public static Fault get(String name) {
        Fault f = ALL.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown fault " + name + "; known: " + ALL.keySet());
        }
        return f;
    }

    public static List<String> names() {
        return List.copyOf(ALL.keySet());
    }

    interface Step {
        void run() throws Exception;
    }

    /**
     * Injects, marks the start, waits, undoes and marks the end, undoing even when the wait is interrupted. The start
     * is marked when the injecting command returns: each does its act last (after seconds of finding PIDs, say).
     */
    static void during(FaultRun run, Step inject, int seconds, Step undo) throws Exception {
        try {
            inject.run();
            run.faultStarts();
            LocalCluster.sleep(seconds * 1000L);
        } finally {
            undo.run();
            run.faultEnds();
        }
    }

    static void verb(LocalCluster c, String... args) {
        LocalCluster.Result r = c.run(args);
        if (r.exit() != 0) {
            throw new IllegalStateException("pgha-local " + String.join(" ", args) + ": " + r.stderr().strip());
        }
    }

    private Faults() {
    }
}
