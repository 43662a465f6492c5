package io.pgha.agent.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgha.agent.node.EtcdStatus;
import io.pgha.agent.node.LeaderClaim;
import io.pgha.agent.node.Outcome;
import io.pgha.agent.node.ProbeResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WatchedLeaderTest {

    private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
    private static final String KEY = "/service/pgha/leader";
    private static final ProbeResult OK = ProbeResult.ok(Duration.ofMillis(3));

    private final AtomicReference<LeaderRead> read = new AtomicReference<>(LeaderRead.NONE);

    private static LeaderClaim key(String holder) {
        return LeaderClaim.of(holder, 5, 5, 1, 0x77);
    }

    private EtcdStatus at(Instant now) {
        WatchedLeader w = new WatchedLeader(read::get, KEY, Duration.ofMillis(1800), Clock.fixed(now, ZoneOffset.UTC));
        return w.read().toCompletableFuture().join();
    }

    @Test
    void beforeTheWatcherHasReadEtcdTheKeyCountsAsNeverRead() {
        EtcdStatus s = at(T0);
        assertFalse(s.everRead());
        assertFalse(s.probe().succeeded());
        assertEquals("failed: the cluster watcher has not read etcd yet", s.probe().describe());
        assertEquals(KEY, s.leaderKey());
    }

    @Test
    void aFirstReadThatFailedIsReportedAsThatFailure() {
        read.set(LeaderRead.NONE.failed(ProbeResult.failed(Outcome.REFUSED, "refused", Duration.ofMillis(1))));
        EtcdStatus s = at(T0);
        assertFalse(s.everRead());
        assertEquals(Outcome.REFUSED, s.probe().outcome());
    }

    @Test
    void aFreshReadGivesTheLeaderAndWhenItWasRead() {
        read.set(LeaderRead.NONE.read(key("node1"), 7, T0, OK));
        EtcdStatus s = at(T0.plusMillis(1800));
        assertTrue(s.probe().succeeded());
        assertEquals(Optional.of("node1"), s.leader());
        assertEquals(T0, s.lastReadAt());
    }

    @Test
    void aReadOlderThanTheBoundFailsClosedButKeepsItsTimeForTheGrace() {
        read.set(LeaderRead.NONE.read(key("node1"), 7, T0, OK));
        EtcdStatus s = at(T0.plusMillis(1801));
        assertEquals(Outcome.TIMEOUT, s.probe().outcome());
        assertEquals("timed out after 1801 ms", s.probe().describe());
        assertEquals(Optional.of("node1"), s.leader());
        assertEquals(T0, s.lastReadAt(), "the policy measures pgha.etcd.max-unreadable from the last real read");
    }

    @Test
    void aFailedConfirmationKeepsTheLastLeaderAndReportsTheFailure() {
        read.set(LeaderRead.NONE.read(key("node1"), 7, T0, OK)
                .failed(ProbeResult.failed(Outcome.TIMEOUT, "deadline", Duration.ofMillis(400))));
        EtcdStatus s = at(T0.plusSeconds(1));
        assertEquals(Outcome.TIMEOUT, s.probe().outcome());
        assertEquals(Optional.of("node1"), s.leader());
        assertEquals(T0, s.lastReadAt());
    }

    @Test
    void aWatchedChangeReplacesTheLeaderAtOnceWithoutCountingAsARead() {
        read.set(LeaderRead.NONE.read(key("node1"), 7, T0, OK).watched(key("node2"), 9));
        EtcdStatus s = at(T0.plusMillis(500));
        assertEquals(Optional.of("node2"), s.leader());
        assertEquals(T0, s.lastReadAt());
        read.set(read.get().watched((LeaderClaim) null, 10));
        assertEquals(Optional.empty(), at(T0.plusMillis(600)).leader(), "a deleted key is no leader");
    }

    @Test
    void aLateWatchEventNeverReplacesANewerRead() {
        LeaderRead r = LeaderRead.NONE.read(key("node2"), 12, T0, OK).watched(key("node1"), 9);
        assertEquals(Optional.of("node2"), r.leader());
        assertEquals(12, r.revision());
        LeaderRead later = r.watched(key("node3"), 13).read(key("node3"), 14, T0.plusSeconds(1), OK);
        assertEquals(14, later.revision());
        assertEquals(T0.plusSeconds(1), later.readAt());
        assertNull(LeaderRead.NONE.readAt());
    }
}
