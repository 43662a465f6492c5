package io.pgha.agent.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgha.agent.node.EtcdStatus;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EtcdLeaderClientTest {

    @Test
    void keyLayoutMatchesPatroni() {
        KeyLayout k = new KeyLayout("/service/", "postgres-ha");
        assertEquals("/service/postgres-ha/leader", k.leader());
        assertEquals("/service/postgres-ha/members/node1", k.member("node1"));
        assertEquals("/service/postgres-ha/", new KeyLayout("/service///", "postgres-ha").prefix());
        assertEquals("/postgres-ha/leader", new KeyLayout("/", "postgres-ha").leader());
    }

    @Test
    void anUnreachableEtcdFailsWithinTheBoundAndCloses() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        EtcdClientHolder holder = new EtcdClientHolder(List.of("http://127.0.0.1:" + port), Duration.ofMillis(300));
        EtcdLeaderClient client = new EtcdLeaderClient(holder,
                new KeyLayout("/service", "postgres-ha"), Duration.ofMillis(300), Clock.systemUTC());
        try {
            long start = System.nanoTime();
            EtcdStatus s = client.read().toCompletableFuture().get(5, TimeUnit.SECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertFalse(s.probe().succeeded());
            assertFalse(s.everRead());
            assertEquals("/service/postgres-ha/leader", s.leaderKey());
            assertTrue(millis < 2000, "took " + millis + " ms");
        } finally {
            client.close();
            holder.close();
        }
    }
}
