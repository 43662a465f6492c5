package io.pgha.agent.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgha.agent.health.HealthPolicy;
import io.pgha.agent.health.HealthSettings;
import io.pgha.agent.health.VerdictStore;
import io.pgha.agent.node.EtcdStatus;
import io.pgha.agent.node.NodeSnapshot;
import io.pgha.agent.node.PatroniStatus;
import io.pgha.agent.node.PostgresStatus;
import io.pgha.agent.node.ProbeResult;
import io.pgha.agent.node.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The runner against hand-written fakes: a lease that drains by one second per check (a frozen Patroni), one
 * that is renewed, an etcd that stops answering, and a wall clock that jumps while the monotonic one does not.
 */
class WatchdogRunnerTest {

    static final String ME = "patroni2";
    static final Instant T0 = Instant.parse("2026-12-03T08:00:00Z");
    static final ProbeResult OK = ProbeResult.ok(Duration.ofMillis(2));

    private final AtomicLong nanos = new AtomicLong();
    private Instant wall = T0;
    private final Clock clock = new Clock() {
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
            return wall;
        }
    };
    private final HealthPolicy health = new HealthPolicy(new HealthSettings(ME, Duration.ofSeconds(1),
            Duration.ofSeconds(5), 1, 2, 3, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(10), false));
    private final VerdictStore store = new VerdictStore(health, clock);
    private final List<Long> leaseReads = new ArrayList<>();
    private long remaining = 30;
    private boolean etcdDown;
    private final List<String> stops = new ArrayList<>();
    private boolean postmasterAlive = true;

    private final WatchdogRunner runner = new WatchdogRunner(ME, new WatchdogPolicy(Duration.ofSeconds(5)), store,
            lease -> {
                leaseReads.add(lease);
                if (etcdDown) {
                    throw new java.util.concurrent.ExecutionException(new TimeoutException("etcd timed out"));
                }
                return new WatchdogFacts.LeaseSeen(lease, Duration.ofSeconds(Math.max(0, remaining)),
                        Duration.ofSeconds(30));
            },
            () -> {
                stops.add("stop");
                postmasterAlive = false;
                return new Stopper.Stopped(true, "postmaster 4242 stopped (immediate shutdown)");
            },
            () -> postmasterAlive, WatchdogRunnerTest.NO_EVENTS, clock, nanos::get);

    static final WatchdogRunner.Events NO_EVENTS = new WatchdogRunner.Events() {
        @Override
        public void checked(WatchdogDecision d) {
        }

        @Override
        public void fenced(WatchdogDecision d, Stopper.Stopped how) {
        }
    };

    /** One health cycle's snapshot: PostgreSQL read-write (or not), Patroni reachable (or frozen), the key's holder. */
    private long leaseId = 0x6a2b;

    private void snapshot(boolean writable, boolean patroniAnswers, String holder) {
        PostgresStatus pg = !postmasterAlive
                ? PostgresStatus.unreachable(ProbeResult.failed(Outcome.REFUSED, "refused", Duration.ofMillis(1)))
                : new PostgresStatus(OK, !writable, 2L, null, null, 0L, Duration.ZERO, null, 90);
        PatroniStatus patroni = patroniAnswers ? new PatroniStatus(OK, "primary", "running", 2L, false, false, false, false)
                : PatroniStatus.unreachable(ProbeResult.failed(Outcome.TIMEOUT, "timed out", Duration.ofMillis(500)));
        EtcdStatus etcd = new EtcdStatus(OK, "/service/pg/leader", Optional.ofNullable(holder), wall, null, leaseId);
        NodeSnapshot s = new NodeSnapshot(ME, wall, pg, patroni, etcd, false);
        store.publish(s, health.decide(s, wall));
    }

    private void tick(long seconds) {
        nanos.addAndGet(Duration.ofSeconds(seconds).toNanos());
        wall = wall.plusSeconds(seconds);
    }

    @Test
    void aFrozenPatroniIsFencedAtTheMarginOnceAndNotBefore() {
        // Frozen right after a renewal: the lease drains by one second per check.
        for (int s = 0; s < 24; s++) {
            snapshot(true, false, ME);
            runner.check();
            assertEquals(List.of(), stops, "stopped with " + remaining + " s left");
            remaining--;
            tick(1);
        }
        assertEquals(6, remaining);
        snapshot(true, false, ME);
        runner.check();
        assertEquals(List.of(), stops, "stopped with 6 s left, above the 5 s margin");
        remaining--;
        tick(1);
        snapshot(true, false, ME);
        runner.check();
        assertEquals(List.of("stop"), stops, "not stopped with 5 s left");
        assertEquals(1, runner.state().fences());
        assertTrue(runner.state().lastFence().contains("Patroni has not renewed it for 25.0s"), runner.state().lastFence());
        // PostgreSQL is down now: nothing more to fence, no second stop.
        for (int s = 0; s < 5; s++) {
            remaining--;
            tick(1);
            snapshot(false, false, ME);
            runner.check();
        }
        assertEquals(List.of("stop"), stops);
        assertEquals("not-writable", runner.state().decision().cause());
    }

    @Test
    void aKeyWhoseLeaseTheAgentLostIsProjectedFromTheLastReadingNotTrusted() {
        remaining = 28;
        snapshot(true, false, ME);
        runner.check();
        leaseId = 0; // the watcher still names this node but no longer knows the key's lease: no read is possible
        for (int s = 0; s < 22; s++) {
            tick(1);
            snapshot(true, false, ME);
            runner.check();
        }
        assertEquals(List.of(), stops, runner.state().decision().reason());
        tick(1);
        snapshot(true, false, ME);
        runner.check();
        assertEquals(List.of("stop"), stops, runner.state().decision().reason());
        assertEquals("lease-unconfirmed", runner.state().decision().cause());
        assertTrue(runner.state().decision().reason().contains("lease is not known to this agent"),
                runner.state().decision().reason());
        assertEquals(1, leaseReads.size(), "no read without a lease id");
    }

    @Test
    void aRenewingLeaderIsNeverFenced() {
        for (int s = 0; s < 120; s++) {
            remaining = 30 - (s % 10);
            snapshot(true, true, ME);
            runner.check();
            tick(1);
        }
        assertEquals(List.of(), stops);
        assertEquals("renewed", runner.state().decision().cause());
    }

    @Test
    void aWallClockJumpChangesNothing() {
        remaining = 29;
        snapshot(true, true, ME);
        runner.check();
        etcdDown = true;
        wall = wall.plus(Duration.ofMinutes(5));
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        snapshot(true, true, ME);
        runner.check();
        wall = wall.minus(Duration.ofMinutes(10));
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        snapshot(true, true, ME);
        runner.check();
        assertEquals(List.of(), stops, runner.state().decision().reason());
        assertEquals("etcd-unreadable", runner.state().decision().cause());
        assertTrue(runner.state().decision().reason().contains("runs out in 27.0s"), runner.state().decision().reason());
    }

    @Test
    void etcdGoneDarkIsFencedAtTheProjectedMargin() {
        remaining = 28;
        snapshot(true, true, ME);
        runner.check();
        etcdDown = true;
        for (int s = 1; s <= 22; s++) {
            tick(1);
            snapshot(true, true, ME);
            runner.check();
        }
        assertEquals(List.of(), stops, "fenced with the lease projected at 6 s");
        tick(1);
        snapshot(true, true, ME);
        runner.check();
        assertEquals(List.of("stop"), stops);
        assertEquals("lease-unconfirmed", runner.state().decision().cause());
    }

    @Test
    void aReplicaReadsNoLease() {
        for (int s = 0; s < 5; s++) {
            snapshot(false, true, "patroni1");
            runner.check();
            tick(1);
        }
        assertEquals(List.of(), leaseReads);
        assertFalse(runner.state().decision().fence());
    }

    @Test
    void aSwitchoverAwayIsLeftToPatroni() {
        remaining = 25;
        snapshot(true, true, ME);
        runner.check();
        tick(1);
        // The key moved; this node's PostgreSQL has not been demoted yet in the snapshot.
        snapshot(true, true, "patroni1");
        runner.check();
        assertEquals(List.of(), stops);
        assertEquals("handed-over", runner.state().decision().cause());
    }
}
