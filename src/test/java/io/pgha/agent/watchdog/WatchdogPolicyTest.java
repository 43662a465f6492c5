package io.pgha.agent.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The watchdog table, with Patroni's ttl 30 and the default 5 s margin. The rows walk through the frozen-Patroni
 * fault: a renewing leader (20-30 s left), the lease draining while Patroni is stopped, the margin reached.
 */
class WatchdogPolicyTest {

    static final String ME = "patroni2";
    static final Duration TTL = Duration.ofSeconds(30);

    static WatchdogFacts.LeaseSeen left(long seconds) {
        return new WatchdogFacts.LeaseSeen(0x6a2b, Duration.ofSeconds(seconds), TTL);
    }

    static WatchdogFacts facts(Boolean writable, String holder, WatchdogFacts.LeaseSeen seen, long sinceSeenMs,
            String failed) {
        return new WatchdogFacts(ME, writable, false, Optional.ofNullable(holder), seen,
                Duration.ofMillis(sinceSeenMs), failed);
    }

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("a renewing leader", facts(true, ME, left(24), 0, null), false, "renewed",
                        "leader; the leader key's lease 6a2b has 24.0s of 30.0s left"),
                Arguments.of("a lease draining, still above the margin", facts(true, ME, left(6), 0, null), false,
                        "renewed", "6.0s of 30.0s left"),
                Arguments.of("the margin reached: Patroni has not renewed for 25 s", facts(true, ME, left(5), 0, null),
                        true, "lease-expiring", "has 5.0s of its 30.0s left: Patroni has not renewed it for 25.0s, so "
                                + "its HA loop is stuck; stopping PostgreSQL before the key expires"),
                Arguments.of("a reading 2 s old with 6 s left: 4 s left now, under the margin",
                        facts(true, ME, left(6), 2_000, null), true, "lease-expiring", "stopping PostgreSQL"),
                Arguments.of("the lease already gone (etcd says -1)", facts(true, ME, left(0), 0, null), true,
                        "lease-expiring", "has 0.0s of its 30.0s left"),
                Arguments.of("PostgreSQL did not answer but its postmaster runs: may still write",
                        facts(null, ME, left(3), 0, null), true, "lease-expiring", "stopping PostgreSQL"),
                Arguments.of("a replica: nothing to fence", facts(false, ME, left(3), 0, null), false, "not-writable",
                        "not read-write"),
                Arguments.of("paused Patroni promotes nobody", new WatchdogFacts(ME, true, true, Optional.of(ME), left(1),
                        Duration.ZERO, null), false, "paused", "maintenance mode"),
                Arguments.of("leader, lease not read yet", facts(true, ME, null, 0, "etcd timed out"), false, "no-reading",
                        "its lease not read yet (etcd timed out)"),
                Arguments.of("never held the key since writable (bootstrap)", facts(true, null, null, 0, null), false,
                        "not-leader", "names no one and this node has not held it"),
                Arguments.of("etcd unreadable, lease projected above the margin",
                        facts(true, ME, left(28), 10_000, "UNAVAILABLE"), false, "etcd-unreadable",
                        "runs out in 18.0s unless renewed, by the reading 10.0s ago"),
                Arguments.of("etcd unreadable, lease projected at the margin",
                        facts(true, ME, left(28), 23_000, "UNAVAILABLE"), true, "lease-unconfirmed",
                        "etcd has not answered for 23.0s (UNAVAILABLE); the leader key's lease 6a2b, last seen with 28.0s "
                                + "left, runs out in 5.0s"),
                Arguments.of("handed over on purpose (switchover) while the lease had time",
                        facts(true, "patroni1", left(22), 1_500, null), false, "handed-over",
                        "the leader key names patroni1 while the leader key's lease 6a2b still had 20.5s: handed over"),
                Arguments.of("released (fast path, shutdown) while the lease had time",
                        facts(true, null, left(22), 1_000, null), false, "handed-over", "the leader key is gone while"),
                Arguments.of("the key expired and a new leader holds it, PostgreSQL here still writes",
                        facts(true, "patroni1", left(6), 4_000, null), true, "key-expired",
                        "the leader key names patroni1 and the leader key's lease 6a2b has run out (2.0s left by the last "
                                + "reading) while PostgreSQL here is still read-write"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(String name, WatchdogFacts f, boolean fence, String cause, String reasonFragment) {
        WatchdogDecision d = new WatchdogPolicy(Duration.ofSeconds(5)).decide(f);
        assertEquals(fence, d.fence(), d.reason());
        assertEquals(cause, d.cause(), d.reason());
        assertTrue(d.reason().contains(reasonFragment), d.reason());
    }
}
