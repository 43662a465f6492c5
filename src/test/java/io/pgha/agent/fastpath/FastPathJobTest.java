package io.pgha.agent.fastpath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pgha.agent.config.AgentConfig;
import io.pgha.agent.config.ConfigCheckTest;
import io.pgha.agent.etcd.EtcdClientHolder;
import io.pgha.agent.etcd.KeyLayout;
import io.pgha.agent.health.HealthPolicy;
import io.pgha.agent.health.HealthSettings;
import io.pgha.agent.health.VerdictStore;
import io.pgha.agent.job.JobContext;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up of the fast path around the data directory; every address is a closed loopback port. */
class FastPathJobTest {

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static FastPathJob lifecycle(Path dataDir, EtcdClientHolder etcd, int port) {
        AgentConfig c = ConfigCheckTest.config(Map.of("pgha.fast-path.enabled", "true",
                "pgha.fast-path.data-dir", dataDir.toString(),
                "pgha.patroni.url", "http://127.0.0.1:" + port,
                "pgha.postgres.url", "jdbc:postgresql://127.0.0.1:" + port + "/postgres"));
        VerdictStore store = new VerdictStore(new HealthPolicy(HealthSettings.from(c)), Clock.systemUTC());
        return new FastPathJob(new JobContext(c, etcd, new KeyLayout(c.namespace(), c.scope()), store,
                new SimpleMeterRegistry(), Clock.systemUTC()));
    }

    @Test
    void aDataDirectoryPatroniHasNotCreatedYetIsWaitedForThenTheFastPathStarts(@TempDir Path tmp) throws Exception {
        int port = closedPort();
        Path data = tmp.resolve("data");
        try (EtcdClientHolder etcd = new EtcdClientHolder(List.of("http://127.0.0.1:" + port), Duration.ofMillis(300))) {
            FastPathJob l = lifecycle(data, etcd, port);
            try {
                l.start();
                assertTrue(l.offReason().startsWith("waiting for the data directory " + data), l.offReason());
                assertTrue(l.state().isEmpty());
                Files.createDirectory(data);
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (!l.offReason().isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertEquals("", l.offReason(), "the fast path starts once the directory is there");
                assertTrue(l.state().isPresent());
            } finally {
                l.stop();
            }
        }
    }

    @Test
    void aDataDirectoryThatIsNotADirectoryKeepsItOffWithTheReason(@TempDir Path tmp) throws Exception {
        int port = closedPort();
        Path notADir = Files.createFile(tmp.resolve("data"));
        try (EtcdClientHolder etcd = new EtcdClientHolder(List.of("http://127.0.0.1:" + port), Duration.ofMillis(300))) {
            FastPathJob l = lifecycle(notADir, etcd, port);
            try {
                l.start();
                assertEquals("cannot read the data directory " + notADir
                        + " (pgha.fast-path.data-dir), so a live postmaster could not be ruled out", l.offReason());
                assertTrue(l.state().isEmpty());
            } finally {
                l.stop();
            }
        }
    }
}
