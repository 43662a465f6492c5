package io.pgha.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** deploy/pgha-status against a hand-written /cluster: the table, and HAProxy's view from the hook below it. */
class PghaStatusTest {

    private static final String VIEW = """
            {"scope":"postgres-ha","leader":"patroni1","revision":42,"skipped":0,
             "members":{"patroni1":{"role":"leader","state":"running","timeline":3,"host":"10.0.0.11","port":5432},
                        "patroni2":{"role":"replica","state":"streaming","timeline":3,"host":"10.0.0.12","port":5432}},
             "agents":{},
             "hooks":{"hook":{"schema":1,"hook":"hook","readAtMillis":%d,"socketOk":true,"handedBack":false,
               "servers":[{"backend":"primary","server":"patroni1","state":"UP","weight":100,"initialWeight":100,"opState":2,"adminState":0},
                          {"backend":"primary","server":"patroni2","state":"DOWN","weight":100,"initialWeight":100,"opState":0,"adminState":0},
                          {"backend":"replicas","server":"patroni2","state":"UP","weight":100,"initialWeight":100,"opState":2,"adminState":0}],
               "actions":[{"atMillis":%d,"lastAtMillis":%d,"times":1,"command":"set server primary/patroni1 health up",
                           "kind":"health","reason":"patroni1 holds the leader key","outcome":"ok"}],
               "publishedAtMillis":%d,"refreshMillis":10000},
              "broken":{"schema":0,"hook":"broken","socketOk":false,"servers":[],"actions":[],"publishedAtMillis":0,
               "refreshMillis":0,"unreadable":"not JSON"}}}
            """;

    @Test
    void printsTheHooksViewOfHaproxyUnderTheTable() throws Exception {
        long now = System.currentTimeMillis();
        byte[] body = VIEW.formatted(now - 2000, now - 5000, now - 5000, now - 2000).getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/cluster", x -> {
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();
        try {
            Process p = new ProcessBuilder("python3", Kit.ROOT.resolve("deploy/pgha-status").toString(),
                    "http://127.0.0.1:" + server.getAddress().getPort()).redirectErrorStream(true).start();
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("HAProxy via hook hook (read 2s ago):"), out);
            assertTrue(out.contains("  primary   patroni1 UP, patroni2 DOWN"), out);
            assertTrue(out.contains("  replicas  patroni2 UP"), out);
            assertTrue(out.contains("last push 5s ago: set server primary/patroni1 health up (ok): patroni1 holds the leader key"), out);
            assertTrue(out.contains("HAProxy via hook broken: unreadable value in etcd (not JSON)"), out);
        } catch (IOException e) {
            throw new AssertionError(e);
        } finally {
            server.stop(0);
        }
    }
}
