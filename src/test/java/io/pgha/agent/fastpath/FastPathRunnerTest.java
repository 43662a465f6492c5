package io.pgha.agent.fastpath;

import io.pgha.agent.fastpath.CrashEvidence.LeaderKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FastPathRunnerTest {
    @TempDir
    Path tmp;

    /** A hand-written etcd: the key, a count of reads, and the deletes asked for. */
    static final class FakeStore implements LeaderKeyStore {
        Optional<LeaderKey> key;
        boolean compareSucceeds = true;
        int reads;
        final List<LeaderKey> deletes = new ArrayList<>();

        FakeStore(Optional<LeaderKey> key) {
            this.key = key;
        }

        @Override
        public Optional<LeaderKey> read() {
            reads++;
            return key;
        }

        @Override
        public boolean deleteIfUnchanged(LeaderKey k) {
            deletes.add(k);
            if (compareSucceeds && key.equals(Optional.of(k))) {
                key = Optional.empty();
                return true;
            }
            return false;
        }
    }

    /** A clock the test moves by hand. */
    static final class StepClock extends Clock {
        Instant now = Instant.parse("2026-11-26T08:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private FastPathRunner runner(FakeStore store, StepClock clock, int patroniPort) throws IOException {
        FakeProc proc = new FakeProc(Files.createDirectories(tmp.resolve("proc")));
        Path data = Files.createDirectories(tmp.resolve("data"));
        var targets = new FastPathTargets("127.0.0.1", patroniPort, "127.0.0.1", closedPort(), data,
                "/node1/patroni.yml", Duration.ofMillis(200));
        var policy = new LeaderGonePolicy("patroni1",
                new LeaderGonePolicy.Settings(true, 2, Duration.ofMillis(100), Duration.ofSeconds(1)));
        return new FastPathRunner(policy, new LocalEvidence(proc.root), store, targets, () -> true,
                FastPathRunner.Events.NONE, clock);
    }

    @Test
    void releasesTheKeyOnTheSecondCheckWithTheRevisionItRead() throws IOException {
        FakeStore store = new FakeStore(Optional.of(new LeaderKey("patroni1", 77)));
        StepClock clock = new StepClock();
        FastPathRunner r = runner(store, clock, closedPort());
        r.check();
        assertTrue(store.deletes.isEmpty(), r.state().decision().reason());
        assertTrue(r.state().decision().reason().contains("1 of 2 checks"), r.state().decision().reason());
        clock.now = clock.now.plusMillis(250);
        r.check();
        assertEquals(List.of(new LeaderKey("patroni1", 77)), store.deletes);
        assertEquals(1, r.state().releases());
        assertTrue(r.state().decision().reason().startsWith("releasing the leader key: patroni1 holds it at revision 77"));
        clock.now = clock.now.plusMillis(250);
        r.check();
        assertEquals(1, store.deletes.size(), "released twice");
        assertTrue(r.state().decision().reason().contains("no leader key"), r.state().decision().reason());
    }

    @Test
    void aKeyTakenInBetweenIsLeftAlone() throws IOException {
        FakeStore store = new FakeStore(Optional.of(new LeaderKey("patroni1", 77)));
        store.compareSucceeds = false;
        StepClock clock = new StepClock();
        FastPathRunner r = runner(store, clock, closedPort());
        r.check();
        clock.now = clock.now.plusMillis(250);
        r.check();
        assertEquals(1, store.deletes.size());
        assertEquals(0, r.state().releases());
    }

    @Test
    void aLivePatroniMeansEtcdIsReadOnlyToKeepTheChannelWarm() throws IOException {
        FakeStore store = new FakeStore(Optional.of(new LeaderKey("patroni1", 77)));
        StepClock clock = new StepClock();
        try (ServerSocket patroni = new ServerSocket(0)) {
            FastPathRunner r = runner(store, clock, patroni.getLocalPort());
            for (int i = 0; i < 5; i++) {
                r.check();
                clock.now = clock.now.plusMillis(250);
            }
            // Only the keep-warm read at the first check: 5 checks span 1 s, under the 5 s keep-warm period.
            assertEquals(1, store.reads);
            assertTrue(store.deletes.isEmpty());
            assertEquals("Patroni's REST port accepts connections", r.state().decision().reason());
        }
    }
}
