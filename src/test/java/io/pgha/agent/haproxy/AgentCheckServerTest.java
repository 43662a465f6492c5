package io.pgha.agent.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgha.agent.health.Verdict;
import io.pgha.agent.health.Verdicts;
import io.pgha.agent.metrics.AgentMetrics;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The server fed fixed verdicts, so only the wire behaviour is under test. */
class AgentCheckServerTest {

    static final String HOST = "127.0.0.1";
    static final Verdicts FIXED = new Verdicts(
            Verdict.up("leader", "leader, etcd agrees"),
            Verdict.weight(50, "lag-weight", "lag 3.0 MB"),
            Verdict.down("accepting", "any is down for the test"),
            Instant.now());

    static AgentCheckServer server;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        server = new AgentCheckServer(HOST, 0, Duration.ofMillis(100), () -> FIXED, AgentMetrics.NONE);
        server.start();
        port = server.actualPort();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    static String ask(String request) throws Exception {
        return AgentCheckClient.ask(HOST, port, request, 2000);
    }

    @Test
    void aFailingVerdictSourceStillGetsAnAnswerAndItIsDown() throws Exception {
        AgentCheckServer broken = new AgentCheckServer(HOST, 0, Duration.ofMillis(100),
                () -> { throw new ArrayIndexOutOfBoundsException(3); }, AgentMetrics.NONE);
        broken.start();
        try {
            assertEquals("down #agent has no verdict\n", AgentCheckClient.ask(HOST, broken.actualPort(), "primary\n", 2000));
        } finally {
            broken.stop();
        }
    }

    @Test
    void answersEachRole() throws Exception {
        assertEquals("up ready 100% #leader, etcd agrees\n", ask("primary\n"));
        assertEquals("up ready 50% #lag 3.0 MB\n", ask("replica\n"));
        assertEquals("down #any is down for the test\n", ask("any\n"));
        assertEquals("up ready 100% #leader, etcd agrees\n", ask("PRIMARY\r\n"));
    }

    @Test
    void silenceMeansAnyAfterTheReadTimeout() throws Exception {
        long start = System.nanoTime();
        assertEquals("down #any is down for the test\n", ask(null));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis >= 90 && millis < 1000, "answered after " + millis + " ms");
    }

    @Test
    void aLineThatFollowsTheConnectionLaterIsReadByTheSelector() throws Exception {
        // Most checks are answered straight after accept(); one whose line is not there yet waits in the selector.
        try (Socket late = new Socket(HOST, port)) {
            late.setSoTimeout(2000);
            Thread.sleep(40);
            OutputStream out = late.getOutputStream();
            out.write("replica\n".getBytes("US-ASCII"));
            out.flush();
            byte[] buf = new byte[128];
            int n = late.getInputStream().read(buf);
            assertEquals("up ready 50% #lag 3.0 MB\n", new String(buf, 0, n, "US-ASCII"));
            assertEquals(-1, late.getInputStream().read(buf), "server closes after its one line");
        }
    }

    @Test
    void aRoleWithoutNewlineIsAnsweredAtTheDeadline() throws Exception {
        assertEquals("up ready 50% #lag 3.0 MB\n", ask("replica"));
    }

    @Test
    void emptyLineMeansAny() throws Exception {
        assertEquals("down #any is down for the test\n", ask("\n"));
    }

    @Test
    void garbageBinaryAndOversizedAreBadRequests() throws Exception {
        assertEquals(AgentReply.BAD_REQUEST, ask("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertEquals(AgentReply.BAD_REQUEST, ask("leader\n"));
        assertEquals(AgentReply.BAD_REQUEST,
                AgentCheckClient.ask(HOST, port, new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, '\n'}, 2000));
        assertEquals(AgentReply.BAD_REQUEST, ask("x".repeat(65)));
        assertEquals(AgentReply.BAD_REQUEST, ask("x".repeat(10_000) + "\n"));
        assertEquals(AgentReply.BAD_REQUEST, ask("prim"));
    }

    @Test
    void aClientThatHoldsTheConnectionIsCutAndAbruptClientsDoNotHurt() throws Exception {
        try (Socket idle = new Socket(HOST, port)) {
            OutputStream out = idle.getOutputStream();
            out.write('p');
            out.flush();
            idle.setSoTimeout(2000);
            byte[] buf = new byte[64];
            int n = idle.getInputStream().read(buf);
            assertEquals(AgentReply.BAD_REQUEST, new String(buf, 0, n, "US-ASCII"));
            assertEquals(-1, idle.getInputStream().read(buf), "server closes after its one line");
        }
        for (int i = 0; i < 20; i++) {
            new Socket(HOST, port).close();
        }
        try (Socket reset = new Socket(HOST, port)) {
            reset.setSoLinger(true, 0);
            reset.getOutputStream().write("prim".getBytes());
        }
        assertEquals("up ready 100% #leader, etcd agrees\n", ask("primary\n"));
    }

    @Test
    void manyConcurrentChecks() throws Exception {
        // Its own server with a long read timeout: 64 client threads on a busy 2-core machine can take longer than
        // the shared server's 100 ms between connect and write, and silence is rightly answered as "any" there.
        AgentCheckServer patient = new AgentCheckServer(HOST, 0, Duration.ofSeconds(5), () -> FIXED, AgentMetrics.NONE);
        patient.start();
        int patientPort = patient.actualPort();
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            List<Future<String>> replies = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                String role = i % 3 == 0 ? "primary\n" : i % 3 == 1 ? "replica\n" : "any\n";
                replies.add(pool.submit(() -> AgentCheckClient.ask(HOST, patientPort, role, 10_000)));
            }
            for (int i = 0; i < replies.size(); i++) {
                String r = replies.get(i).get(10, TimeUnit.SECONDS);
                String expected = i % 3 == 0 ? "up ready 100% #leader" : i % 3 == 1 ? "up ready 50%" : "down #any";
                assertTrue(r.startsWith(expected), "reply " + i + ": " + r);
            }
        } finally {
            pool.shutdownNow();
            patient.stop();
        }
    }

    @Test
    void aNewVerdictIsAnsweredAtOnceNotTheCachedLine() throws Exception {
        AtomicReference<Verdicts> current = new AtomicReference<>(FIXED);
        AgentCheckServer s = new AgentCheckServer(HOST, 0, Duration.ofMillis(100), current::get, AgentMetrics.NONE);
        s.start();
        try {
            assertEquals("up ready 100% #leader, etcd agrees\n", AgentCheckClient.ask(HOST, s.actualPort(), "primary\n", 2000));
            current.set(new Verdicts(Verdict.down("not-leader", "etcd names node2"), FIXED.replica(), FIXED.any(),
                    Instant.now()));
            assertEquals("down #etcd names node2\n", AgentCheckClient.ask(HOST, s.actualPort(), "primary\n", 2000));
        } finally {
            s.stop();
        }
    }

    @Test
    void idleConnectionsBeyondTheCapGetTheOldestAnsweredEarly() throws Exception {
        AgentCheckServer s = new AgentCheckServer(HOST, 0, Duration.ofSeconds(30), () -> FIXED, AgentMetrics.NONE);
        s.start();
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i <= AgentCheckServer.MAX_OPEN; i++) {
                idle.add(new Socket(HOST, s.actualPort()));
            }
            // The read timeout is 30 s; the first connection is answered now because MAX_OPEN newer ones wait.
            idle.get(0).setSoTimeout(5000);
            byte[] buf = new byte[128];
            int n = idle.get(0).getInputStream().read(buf);
            assertEquals("down #any is down for the test\n", new String(buf, 0, n, "US-ASCII"));
            assertEquals("up ready 50% #lag 3.0 MB\n", AgentCheckClient.ask(HOST, s.actualPort(), "replica\n", 2000));
        } finally {
            for (Socket c : idle) {
                c.close();
            }
            s.stop();
        }
    }

    @Test
    void stopReleasesThePort() throws Exception {
        AgentCheckServer s = new AgentCheckServer(HOST, 0, Duration.ofMillis(100), () -> FIXED, AgentMetrics.NONE);
        s.start();
        int p = s.actualPort();
        s.stop();
        try (java.net.ServerSocket again = new java.net.ServerSocket()) {
            again.setReuseAddress(true);
            again.bind(new java.net.InetSocketAddress(HOST, p));
            assertEquals(p, again.getLocalPort());
        }
    }
}
