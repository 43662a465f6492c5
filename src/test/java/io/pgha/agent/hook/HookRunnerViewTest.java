package io.pgha.agent.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgha.agent.gossip.ClusterView;
import io.pgha.agent.gossip.HookStatus;
import io.pgha.agent.metrics.AgentMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner keeps HAProxy's view from each round: what it read, what it pushed and why, and read failures. */
class HookRunnerViewTest {

    static final Instant NOW = Instant.parse("2026-11-26T08:00:00Z");

    /** A fake HAProxy admin socket: answers "show servers state" with a fixed text, takes every other command. */
    static final class FakeHaproxy implements AutoCloseable {
        final ServerSocketChannel server;
        final List<String> received = new CopyOnWriteArrayList<>();
        final String state;

        FakeHaproxy(Path socket, String state) throws IOException {
            this.state = state;
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread t = new Thread(this::serve, "fake-haproxy");
            t.setDaemon(true);
            t.start();
        }

        private void serve() {
            while (server.isOpen()) {
                try (SocketChannel c = server.accept()) {
                    ByteArrayOutputStream line = new ByteArrayOutputStream();
                    ByteBuffer in = ByteBuffer.allocate(4096);
                    while (!line.toString(StandardCharsets.UTF_8).endsWith("\n") && c.read(in) >= 0) {
                        line.write(in.array(), 0, in.position());
                        in.clear();
                    }
                    String command = line.toString(StandardCharsets.UTF_8).strip();
                    received.add(command);
                    if (command.equals("show servers state")) {
                        c.write(ByteBuffer.wrap(state.getBytes(StandardCharsets.UTF_8)));
                    }
                } catch (IOException e) {
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    static final String STATE = """
            1
            # be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight
            2 primary 1 patroni1 10.0.0.11 2 0 1 1 39 17 2 0 6 22 0 0 - 5432 - 0 8008 - - 5480
            2 primary 2 patroni2 10.0.0.12 0 0 1 1 32 15 3 2 6 22 0 0 - 5432 - 0 8008 - - 5480
            2 primary 3 patroni3 10.0.0.13 0 0 1 1 38 17 2 0 6 22 0 0 - 5432 - 0 8008 - - 5480
            """;

    @Test
    void roundsRecordTheReadThePushesAndAFailedRead(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("admin.sock");
        // Right after a switchover to patroni2: HAProxy still routes writes to patroni1.
        ClusterView view = new ClusterView("postgres-ha", "patroni2", NOW.minusSeconds(1), Map.of(), Map.of(), 5, 0, NOW);
        HookRunner runner = new HookRunner(() -> view, new RuntimeApiClient(socket, Duration.ofMillis(500)),
                new HookPolicy(new HookPolicy.Settings(Duration.ofSeconds(3), Duration.ofSeconds(10))),
                AgentMetrics.NONE, Clock.fixed(NOW, ZoneOffset.UTC), List.of(),
                new HookViewPolicy("hook", Duration.ofSeconds(10),
                        new io.pgha.agent.gossip.PublishPolicy(Duration.ofSeconds(5), Duration.ofSeconds(1))));
        try {
            assertFalse(runner.hookView().socketOk(), "nothing read yet");
            assertNull(runner.hookView().readAtMillis());

            try (FakeHaproxy haproxy = new FakeHaproxy(socket, STATE)) {
                HookDecision d = runner.round();
                assertNotNull(d);
                HookStatus v = runner.hookView();
                assertTrue(v.socketOk());
                assertEquals(NOW.toEpochMilli(), v.readAtMillis());
                assertEquals(List.of("primary/patroni1:UP", "primary/patroni2:DOWN", "primary/patroni3:DOWN"),
                        v.servers().stream().map(s -> s.backend() + "/" + s.server() + ":" + s.state()).toList());
                assertEquals(d.reason(), v.decision());
                assertEquals(d.actions().size(), v.actions().size());
                assertTrue(v.actions().stream().allMatch(a -> a.outcome().equals("ok") && a.atMillis() == NOW.toEpochMilli()),
                        v.actions().toString());
                assertTrue(v.actions().stream().anyMatch(a -> a.command().equals("set server primary/patroni2 health up")
                        && a.reason().contains("holds the leader key")), v.actions().toString());
                assertTrue(haproxy.received.stream().anyMatch(c -> c.contains("set server primary/patroni1 health down")),
                        haproxy.received.toString());
            }
            Files.deleteIfExists(socket);

            assertNull(runner.round(), "HAProxy could not be read");
            HookStatus failed = runner.hookView();
            assertFalse(failed.socketOk());
            assertEquals(NOW.toEpochMilli(), failed.readAtMillis(), "the last good read's time stays");
            assertEquals(NOW.toEpochMilli(), failed.failingSinceMillis());
            assertEquals(3, failed.servers().size(), "the last good servers stay, marked by socketOk=false");
            assertNotNull(failed.socketError());
            assertFalse(failed.toString().contains(dir.toString()), "no socket path: " + failed);
        } finally {
            runner.close();
        }
    }
}
