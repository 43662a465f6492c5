package io.pgha.agent.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgha.agent.node.Outcome;
import io.pgha.agent.node.PostgresStatus;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The probe's bounds without a database: a closed port and a server that accepts but never speaks. */
class PostgresProbeTest {

    static PostgresProbe probe(int port, long timeoutMillis) {
        return new PostgresProbe("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", Optional.empty(),
                Optional.empty(), Duration.ofMillis(timeoutMillis), Clock.systemUTC());
    }

    @Test
    void closedPortIsRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (PostgresProbe p = probe(port, 500)) {
            PostgresStatus s = p.probe();
            assertEquals(Outcome.REFUSED, s.probe().outcome(), s.probe().toString());
        }
    }

    @Test
    void aSilentServerIsCutAtTheProbeTimeoutAndDoesNotStackProbes() throws Exception {
        try (ServerSocket hung = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
                PostgresProbe p = probe(hung.getLocalPort(), 200)) {
            long start = System.nanoTime();
            PostgresStatus first = p.probe();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(Outcome.TIMEOUT, first.probe().outcome(), first.probe().toString());
            assertTrue(millis < 600, "took " + millis + " ms");
            // pgjdbc's own 1 s login timeout still holds the worker: the next cycle must not queue behind it.
            PostgresStatus second = p.probe();
            assertEquals(Outcome.TIMEOUT, second.probe().outcome());
            assertTrue(second.probe().detail().contains("previous probe still running"), second.probe().detail());
        }
    }
}
