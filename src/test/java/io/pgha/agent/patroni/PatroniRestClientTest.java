package io.pgha.agent.patroni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.pgha.agent.node.Outcome;
import io.pgha.agent.node.PatroniStatus;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Against loopback stand-ins: a real-looking Patroni, a closed port, and a Patroni that accepts but hangs. */
class PatroniRestClientTest {

    static final String BODY = """
            {"state": "running", "postmaster_start_time": "2026-11-26 07:00:00", "role": "replica",
             "server_version": 150010, "xlog": {"received_location": 50331744, "replayed_location": 50331744,
             "paused": false}, "timeline": 3, "pause": true, "pending_restart": true,
             "tags": {"nofailover": true, "noloadbalance": true}, "dcs_last_seen": 1700000000,
             "database_system_identifier": "7300000000000000000", "patroni": {"version": "3.0.2", "scope": "postgres-ha"}}
            """;

    static PatroniStatus fetch(String url, long timeoutMillis) throws Exception {
        PatroniRestClient client = new PatroniRestClient(url, Duration.ofMillis(timeoutMillis), new ObjectMapper(),
                Clock.systemUTC());
        return client.fetch().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void readsRoleStateTimelineAndTags() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/patroni", ex -> {
            byte[] b = BODY.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        try {
            PatroniStatus s = fetch("http://127.0.0.1:" + server.getAddress().getPort(), 500);
            assertEquals(Outcome.OK, s.probe().outcome());
            assertEquals("replica", s.role());
            assertEquals("running", s.state());
            assertEquals(3L, s.timeline());
            assertTrue(s.paused() && s.pendingRestart() && s.noFailover() && s.noLoadBalance());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void closedPortIsRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        PatroniStatus s = fetch("http://127.0.0.1:" + port, 500);
        assertEquals(Outcome.REFUSED, s.probe().outcome(), s.probe().toString());
    }

    @Test
    void aHungPatroniTimesOutWithinTheBound() throws Exception {
        try (ServerSocket hung = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            PatroniStatus s = fetch("http://127.0.0.1:" + hung.getLocalPort(), 200);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(Outcome.TIMEOUT, s.probe().outcome(), s.probe().toString());
            assertTrue(millis < 1000, "took " + millis + " ms");
        }
    }

    @Test
    void garbageBodyIsAnError() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/patroni", ex -> {
            ex.sendResponseHeaders(200, 4);
            ex.getResponseBody().write("oops".getBytes(StandardCharsets.US_ASCII));
            ex.close();
        });
        server.start();
        try {
            PatroniStatus s = fetch("http://127.0.0.1:" + server.getAddress().getPort(), 500);
            assertEquals(Outcome.ERROR, s.probe().outcome());
        } finally {
            server.stop(0);
        }
    }
}
