package io.pgha.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/pgha switchover --dry-run} on hand-written Patroni /cluster, /config and agent /cluster answers:
 * what it refuses that Patroni would start blindly, with the reason, and what it lets through. Then the two pure
 * helpers of the hand-over ({@code handover_due}, {@code outage}) called directly.
 */
class PghaSwitchoverTest {

    private static final String HOOK_OK = """
            {"hook":{"schema":1,"hook":"hook","socketOk":true,"handedBack":false,"servers":[
              {"backend":"primary","server":"patroni1","state":"UP"},{"backend":"primary","server":"patroni2","state":"DOWN"}]}}""";

    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private HttpServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        for (String path : List.of("/patroni/cluster", "/patroni/config", "/agent/cluster")) {
            server.createContext(path, x -> {
                String body = answers.get(path);
                byte[] b = (body == null ? "{}" : body).getBytes(StandardCharsets.UTF_8);
                x.sendResponseHeaders(body == null ? 404 : 200, b.length);
                x.getResponseBody().write(b);
                x.close();
            });
        }
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** A Patroni member as /cluster lists it. */
    static String member(String name, String role, String state, Object lag) {
        return """
                {"name":"%s","role":"%s","state":"%s","host":"10.0.0.%d","port":5432,"timeline":4,"lag":%s}"""
                .formatted(name, role, state, 10 + name.charAt(name.length() - 1) - '0', lag);
    }

    static String cluster(String... members) {
        return "{\"scope\":\"postgres-ha\",\"members\":[" + String.join(",", members) + "]}";
    }

    /** patroni1 leads, patroni2 is the synchronous standby, patroni3 an asynchronous replica: all caught up. */
    static String healthy(Object syncLag) {
        return cluster(member("patroni1", "leader", "running", "null"), member("patroni2", "sync_standby", "streaming", syncLag),
                member("patroni3", "replica", "streaming", 0));
    }

    record Run(int exit, String out) { }

    Run pgha(String patroniCluster, boolean syncMode, String hooks, String... args) throws Exception {
        answers.put("/patroni/cluster", patroniCluster);
        answers.put("/patroni/config", "{\"ttl\":30,\"synchronous_mode\":" + syncMode + "}");
        if (hooks != null) {
            answers.put("/agent/cluster", "{\"scope\":\"postgres-ha\",\"hooks\":" + hooks + "}");
        } else {
            answers.remove("/agent/cluster");
        }
        List<String> cmd = new ArrayList<>(List.of("python3", Kit.ROOT.resolve("deploy/pgha").toString(), "switchover",
                "--dry-run", "--patroni", base + "/patroni", "--agent", base + "/agent"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "pgha did not finish");
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    static void refused(Run r, String reason) {
        assertEquals(3, r.exit(), r.out());
        assertTrue(r.out().contains("pgha switchover: refused: " + reason), r.out());
    }

    @Test
    void aCaughtUpSynchronousStandbyWithAHookIsLetThrough() throws Exception {
        Run r = pgha(healthy(0), true, HOOK_OK);
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("ok: candidate patroni2 streaming, lag 0 bytes (limit 1048576)"), r.out());
        assertTrue(r.out().contains("pgha switchover: would switch over from patroni1 to patroni2"), r.out());
    }

    @Test
    void aLaggingCandidateIsRefused() throws Exception {
        refused(pgha(healthy(5242880), true, HOOK_OK), "patroni2 lags 5242880 bytes, over --max-lag 1048576");
        assertEquals(0, pgha(healthy(5242880), true, HOOK_OK, "--max-lag", "8MB").exit(), "--max-lag 8MB lets it through");
        refused(pgha(healthy("\"unknown\""), true, HOOK_OK), "patroni2's lag is 'unknown'");
    }

    @Test
    void inSynchronousModeOnlyTheStreamingSynchronousStandbyWillDo() throws Exception {
        refused(pgha(healthy(0), true, HOOK_OK, "--candidate", "patroni3"),
                "synchronous mode is on and patroni3 is not the synchronous standby (patroni2)");
        refused(pgha(cluster(member("patroni1", "leader", "running", "null"), member("patroni2", "replica", "streaming", 0),
                member("patroni3", "replica", "streaming", 0)), true, HOOK_OK), "synchronous mode is on and no synchronous standby is streaming");
        refused(pgha(cluster(member("patroni1", "leader", "running", "null"), member("patroni2", "sync_standby", "starting", 0),
                member("patroni3", "replica", "streaming", 0)), true, HOOK_OK),
                "synchronous mode is on and no synchronous standby is streaming (patroni2 starting)");
        // Without synchronous mode any streaming replica may take over; with no candidate named, the least lagging.
        Run async = pgha(cluster(member("patroni1", "leader", "running", "null"), member("patroni2", "replica", "streaming", 900),
                member("patroni3", "replica", "streaming", 10)), false, HOOK_OK);
        assertEquals(0, async.exit(), async.out());
        assertTrue(async.out().contains("would switch over from patroni1 to patroni3"), async.out());
    }

    @Test
    void noHookMovingHaproxyIsRefusedUnlessSaidSo() throws Exception {
        refused(pgha(healthy(0), true, "{}"), "no pgha hook is publishing");
        refused(pgha(healthy(0), true, null), "the agents' view could not be read");
        refused(pgha(healthy(0), true, HOOK_OK.replace("\"handedBack\":false", "\"handedBack\":true")),
                "hook hook has handed routing back to HAProxy's checks");
        refused(pgha(healthy(0), true, HOOK_OK.replace("\"socketOk\":true", "\"socketOk\":false,\"socketError\":\"refused\"")),
                "hook hook cannot read HAProxy's admin socket (refused)");
        refused(pgha(healthy(0), true, HOOK_OK.replace("\"patroni1\",\"state\":\"UP\"", "\"patroni1\",\"state\":\"DOWN\"")),
                "hook hook does not see HAProxy routing writes to the leader patroni1");
        Run without = pgha(healthy(0), true, "{}", "--without-hook");
        assertEquals(0, without.exit(), without.out());
    }

    @Test
    void whatPatroniWouldRefuseItselfIsNamedToo() throws Exception {
        refused(pgha(healthy(0), true, HOOK_OK, "--candidate", "patroni9"), "--candidate patroni9 is not a member (members: patroni1, patroni2, patroni3)");
        refused(pgha(healthy(0), true, HOOK_OK, "--candidate", "patroni1"), "--candidate patroni1 is already the leader");
        refused(pgha(cluster(member("patroni1", "replica", "streaming", 0), member("patroni2", "sync_standby", "streaming", 0)), true, HOOK_OK),
                "no running leader in Patroni's view");
        refused(pgha(healthy(0).replace("\"scope\"", "\"pause\":true,\"scope\""), true, HOOK_OK), "Patroni is paused");
        refused(pgha(healthy(0).replace("\"scope\"", "\"scheduled_switchover\":{\"at\":\"2026-12-03T22:00:00+00:00\"},\"scope\""), true, HOOK_OK),
                "a switchover is already scheduled at 2026-12-03T22:00:00+00:00");
    }

    @Test
    void badArgumentsAreNamed() throws Exception {
        Run past = pgha(healthy(0), true, HOOK_OK, "--at", "2020-01-01T00:00+00:00");
        assertEquals(2, past.exit(), past.out());
        assertTrue(past.out().contains("--at '2020-01-01T00:00+00:00' is in the past"), past.out());
        Run zone = pgha(healthy(0), true, HOOK_OK, "--at", "2099-01-01T00:00");
        assertTrue(zone.out().contains("has no time zone"), zone.out());
        Run lag = pgha(healthy(0), true, HOOK_OK, "--max-lag", "lots");
        assertTrue(lag.out().contains("--max-lag must be a size in bytes"), lag.out());
        Run at = pgha(healthy(0), true, HOOK_OK, "--at", "2099-01-01T00:00+00:00");
        assertEquals(0, at.exit(), at.out());
        assertTrue(at.out().contains("would switch over from patroni1 to patroni2 at 2099-01-01T00:00:00+00:00"), at.out());
        Run unknown = pgha(healthy(0), true, HOOK_OK, "--candiate", "patroni2");
        assertTrue(unknown.out().contains("unknown argument '--candiate'"), unknown.out());
    }

    @Test
    void theHandOverReleasesOnlyAStoppedLeadersOwnKeyAndTheOutageEndsOnTheNewLeader() throws Exception {
        String script = """
                import importlib.machinery, importlib.util, sys
                loader = importlib.machinery.SourceFileLoader("pgha", sys.argv[1])
                spec = importlib.util.spec_from_loader("pgha", loader)
                m = importlib.util.module_from_spec(spec)
                loader.exec_module(m)
                assert m.handover_due(True, "patroni1", "patroni1")
                assert not m.handover_due(False, "patroni1", "patroni1"), "PostgreSQL still answers"
                assert not m.handover_due(True, "patroni2", "patroni1"), "the candidate holds the key already"
                assert not m.handover_due(True, None, "patroni1"), "nobody holds it: Patroni's race, not ours"
                p = [(1.0, True, "a"), (1.1, True, "a"), (1.2, False, None), (1.9, False, None), (2.0, True, "b")]
                assert m.outage(p, 1.05, "b") == (1.1, 2.0), m.outage(p, 1.05, "b")
                assert m.outage(p[:4], 1.05, "b") is None, "no write on the new leader yet"
                assert m.outage(p[4:], 1.05, "b") == (1.05, 2.0), "no probe answered before: from the request"
                print("ok")
                """;
        Process p = new ProcessBuilder("python3", "-c", script, Kit.ROOT.resolve("deploy/pgha").toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertEquals("ok", out.strip());
    }
}
