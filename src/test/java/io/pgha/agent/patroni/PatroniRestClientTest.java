package io.pgha.agent.patroni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.pgha.agent.json.Json;
import io.pgha.agent.node.Outcome;
import io.pgha.agent.node.PatroniStatus;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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

    /**
     * Bound for exchanges that do answer: generous, because the first request of a cold JVM also loads the
     * HTTP client (a 500 ms bound timed out once on a busy CI machine). The hung-server test keeps its tight bound.
     */
    static final long ANSWERS = 3000;

    static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    static PatroniStatus fetch(String url, long timeoutMillis) throws Exception {
        PatroniRestClient client = new PatroniRestClient(new PatroniHttp(vertx, url, PatroniTls.DEFAULT),
                Duration.ofMillis(timeoutMillis), new Json(), Clock.systemUTC());
        return client.fetch().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /** A one-shot server that writes {@code head} (and {@code body} bytes of filler after it), then closes. */
    static ServerSocket oneShot(String head, int filler) throws Exception {
        ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try (Socket s = server.accept()) {
                s.getInputStream().read(new byte[4096]); // the request; its content does not matter here
                OutputStream out = s.getOutputStream();
                out.write(head.getBytes(StandardCharsets.UTF_8));
                byte[] chunk = new byte[8192];
                Arrays.fill(chunk, (byte) ' ');
                for (int sent = 0; sent < filler; sent += chunk.length) {
                    out.write(chunk);
                }
            } catch (Exception e) {
                // the client may reset the connection first, which is what one test wants
            }
        });
        t.setDaemon(true);
        t.start();
        return server;
    }

    @Test
    void readsPatronisHttp10AnswerWithoutLengthUntilClose() throws Exception {
        // Patroni 3.0.2's REST server: HTTP/1.0, no Content-Length, the body ends when it closes.
        try (ServerSocket s = oneShot("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + BODY, 0)) {
            PatroniStatus status = fetch("http://127.0.0.1:" + s.getLocalPort(), ANSWERS);
            assertEquals(Outcome.OK, status.probe().outcome(), status.probe().toString());
            assertEquals("replica", status.role());
        }
    }

    @Test
    void anEndlessBodyIsRefusedNotBuffered() throws Exception {
        try (ServerSocket s = oneShot("HTTP/1.0 200 OK\r\n\r\n{", 4 * PatroniHttp.MAX_BODY)) {
            PatroniStatus status = fetch("http://127.0.0.1:" + s.getLocalPort(), 3000);
            assertEquals(Outcome.ERROR, status.probe().outcome(), status.probe().toString());
            assertTrue(status.probe().detail().contains("over"), status.probe().toString());
        }
    }

    @Test
    void anUnparsableUrlIsAnErrorNotAThrow() throws Exception {
        PatroniStatus s = fetch("http://[bad", ANSWERS);
        assertEquals(Outcome.ERROR, s.probe().outcome(), s.probe().toString());
        assertTrue(s.probe().detail().contains("bad Patroni URL"), s.probe().toString());
    }

    @Test
    void blockingCallsAreRefusedOnAnEventLoop() throws Exception {
        PatroniHttp http = new PatroniHttp(vertx, "http://127.0.0.1:1", PatroniTls.DEFAULT);
        CompletableFuture<Throwable> seen = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            try {
                http.await(HttpMethod.GET, "/cluster", null, Duration.ofMillis(100));
                seen.complete(null);
            } catch (Throwable t) {
                seen.complete(t);
            }
        });
        assertTrue(seen.get(5, TimeUnit.SECONDS) instanceof IllegalStateException);
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
            PatroniStatus s = fetch("http://127.0.0.1:" + server.getAddress().getPort(), ANSWERS);
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
        PatroniStatus s = fetch("http://127.0.0.1:" + port, ANSWERS);
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

    /**
     * Cutting a request Patroni read but did not answer is routine (a slow start-up), and so is Patroni resetting
     * pooled connections as it goes away: neither is an ERROR in the log.
     */
    @Test
    void aTimedOutRequestIsCutWithoutAnErrorInTheLog() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        CountDownLatch read = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        server.createContext("/", exchange -> {
            read.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.start();
        List<LogRecord> errors = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            // Cut after it was sent, and (1 ms) before the connection even gave a request to send it on.
            PatroniStatus s = fetch("http://127.0.0.1:" + server.getAddress().getPort(), 200);
            assertEquals(Outcome.TIMEOUT, s.probe().outcome(), s.probe().toString());
            assertTrue(read.await(1, TimeUnit.SECONDS), "the request reached the server");
            for (int i = 0; i < 5; i++) {
                assertEquals(Outcome.TIMEOUT, fetch("http://127.0.0.1:" + server.getAddress().getPort(), 1)
                        .probe().outcome());
            }
            // Then Patroni goes away under the pooled connections (a restart, a failover).
            release.countDown();
            server.stop(0);
            Thread.sleep(300);
            assertEquals(List.of(), errors.stream().map(r -> r.getLoggerName() + ": " + r.getMessage()).toList());
        } finally {
            root.removeHandler(capture);
            release.countDown();
            server.stop(0);
        }
    }

    /**
     * A Patroni frozen (SIGSTOP) and then resumed, as Patroni 4.x serves it: while it is frozen its listen queue
     * (request_queue_size 5) fills and the kernel drops further SYNs, and after it resumes a pool of five workers
     * reads each accepted connection's request line with no timeout. An exchange cut at its bound must take its TCP
     * connect with it: one left to retry its SYN completes once the queue drains, with nothing ever sent on it, and
     * holds a worker forever. Five of them stopped a real Patroni 4.1.5's REST API for good (FaultIT).
     */
    @Test
    void exchangesCutWhileConnectingLeaveNoSilentConnectionBehind() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            // "Frozen": a full listen queue that nobody accepts from.
            List<Socket> filler = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 3; i++) {
                Socket f = new Socket();
                try {
                    f.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                    filler.add(f);
                } catch (java.io.IOException e) {
                    f.close();
                }
            }
            PatroniHttp http = new PatroniHttp(vertx, "http://127.0.0.1:" + port, PatroniTls.DEFAULT);
            List<CompletableFuture<PatroniHttp.Response>> calls = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 10; i++) {
                calls.add(http.exchange(HttpMethod.GET, "/patroni", null, Duration.ofMillis(150)));
                Thread.sleep(100);
            }
            for (CompletableFuture<PatroniHttp.Response> c : calls) {
                assertTrue(c.handle((r, e) -> e).get(5, TimeUnit.SECONDS) != null, "a frozen server answered");
            }
            for (Socket f : filler) {
                f.close();
            }
            // "Resumed": accept whatever arrives for the next seconds (SYNs are retried after 1 s and 3 s) and read
            // each like Patroni does, here with a limit.
            server.setSoTimeout(4500);
            int silent = 0;
            int accepted = 0;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < until) {
                Socket s;
                try {
                    s = server.accept();
                } catch (java.net.SocketTimeoutException e) {
                    break;
                }
                try (s) {
                    s.setSoTimeout(1500);
                    if (s.getInputStream().read() < 0) {
                        continue; // closed by the client: an EOF, which frees a worker at once
                    }
                    accepted++;
                } catch (java.net.SocketTimeoutException e) {
                    silent++;
                } catch (java.io.IOException e) {
                    // reset by the client: frees a worker too
                }
            }
            assertEquals(0, silent, "connections left open with nothing sent (" + accepted + " carried a request)");
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
            PatroniStatus s = fetch("http://127.0.0.1:" + server.getAddress().getPort(), ANSWERS);
            assertEquals(Outcome.ERROR, s.probe().outcome());
        } finally {
            server.stop(0);
        }
    }
}
