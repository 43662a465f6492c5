package io.pgha.it;

import static io.pgha.it.LocalCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgha.agent.hook.ServerState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The HAProxy hook on the real local cluster: a switchover reaches 5000 through the hook's push (seen in
 * HAProxy's server states and in the hook's log), and with the hook killed HAProxy's own checks still move
 * writes to the new leader, because the hook never leaves a state those checks cannot lift.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HookIT {
    private static LocalCluster cluster;
    private static Path hookLog;

    @BeforeAll
    static void cluster() {
        cluster = LocalCluster.fromEnvironment();
        cluster.awaitHealthy(Duration.ofSeconds(120));
        hookLog = Path.of(cluster.env("PGHA_STATE_DIR"), "log", "hook.log");
        assertEquals(0, cluster.run("hook", "start").exit());
    }

    @AfterAll
    static void restartHookAndSettle() {
        cluster.run("hook", "start");
        // The demoted leader may stop once more for pg_rewind after it first streams; leave a cluster whose
        // members all run, twice in a row 3 s apart, for the tests that follow.
        for (int i = 0; i < 2; i++) {
            await("every member running", Duration.ofSeconds(90), () -> {
                for (var m : cluster.patroniCluster().path("members")) {
                    if (!List.of("running", "streaming").contains(m.path("state").asText())) {
                        return null;
                    }
                }
                return true;
            });
            cluster.awaitHealthy(Duration.ofSeconds(90));
            LocalCluster.sleep(3000);
        }
    }

    static List<ServerState> servers() {
        LocalCluster.Result r = LocalCluster.exec(Map.of(), List.of("python3", "-c",
                "import socket,sys\ns=socket.socket(socket.AF_UNIX);s.settimeout(2);s.connect(sys.argv[1])\n"
                        + "s.sendall(b'show servers state\\n');b=b''\nwhile True:\n c=s.recv(65536)\n if not c: break\n b+=c\n"
                        + "sys.stdout.write(b.decode())", cluster.env("HAPROXY_ADMIN_SOCKET")));
        assertEquals(0, r.exit(), r.stderr());
        return ServerState.parse(r.stdout());
    }

    static String hookLogText() {
        try {
            return Files.readString(hookLog);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String switchover() {
        String leader = cluster.leaderName();
        // In synchronous mode Patroni switches over only to the synchronous standby.
        String candidate = cluster.syncStandby();
        var r = cluster.post("http://" + cluster.addr(cluster.nodeOf(leader)) + ":8008/switchover",
                "{\"leader\":\"" + leader + "\",\"candidate\":\"" + candidate + "\"}");
        assertEquals(200, r.statusCode(), r.body());
        return candidate;
    }

    @Test
    @Order(1)
    void aSwitchoverIsPushedIntoHaproxyAndWritesFollow() {
        await("the hook to be confirmed and routing", Duration.ofSeconds(30),
                () -> hookLogText().contains("HAProxy agrees with etcd") ? true : null);
        int logStart = hookLogText().length();
        String candidate = switchover();
        long t0 = System.nanoTime();
        String addr = cluster.addr(cluster.nodeOf(candidate));
        await("writes through 5000 to reach " + candidate, Duration.ofSeconds(15),
                () -> addr.equals(cluster.writerAddress()) ? true : null);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        String pushed = hookLogText().substring(logStart);
        assertTrue(pushed.contains("hook: route writes to " + candidate), pushed);
        assertTrue(pushed.contains("hook ok: set server primary/" + candidate + " health up: " + candidate
                + " holds the leader key"), pushed);
        await("HAProxy's state to show only " + candidate + " up in primary", Duration.ofSeconds(5), () -> {
            for (ServerState s : servers()) {
                if (s.backend().equals("primary") && s.up() != s.server().equals(candidate)) {
                    return null;
                }
            }
            return true;
        });
        System.out.printf("switchover to %s: writes through 5000 after %d ms%n", candidate, millis);
        cluster.awaitHealthy(Duration.ofSeconds(60));
    }

    @Test
    @Order(2)
    void withTheHookKilledHaproxysChecksStillRouteTheNextSwitchover() {
        cluster.awaitHealthy(Duration.ofSeconds(60));
        long pid = cluster.pid(1, "hook");
        cluster.signal(pid, "KILL");
        try {
            await("the hook to be gone", Duration.ofSeconds(5), () -> Files.exists(Path.of("/proc/" + pid)) ? null : true);
            int logStart = hookLogText().length();
            String candidate = switchover();
            String addr = cluster.addr(cluster.nodeOf(candidate));
            await("writes through 5000 to reach " + candidate + " without the hook", Duration.ofSeconds(30),
                    () -> addr.equals(cluster.writerAddress()) ? true : null);
            assertFalse(hookLogText().substring(logStart).contains("route writes to " + candidate),
                    "the hook was supposed to be dead");
            for (ServerState s : servers()) {
                assertEquals(0, s.adminState() & ServerState.FORCED_MAINT, "nothing may be left in maint: " + s);
            }
            cluster.awaitHealthy(Duration.ofSeconds(60));
        } finally {
            // Later tests need the hook whatever happened here.
            assertEquals(0, cluster.run("hook", "start").exit());
        }
    }
}
