package io.pgha.agent.reinit;

import io.pgha.agent.reinit.DriftFacts.Member;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReinitPolicyTest {
    static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");
    static final DriftTracker.Thresholds TH = new DriftTracker.Thresholds(3, Duration.ofSeconds(10),
            Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(30), 1_000_000, Duration.ofSeconds(10),
            Duration.ofSeconds(60));
    static final ReinitPolicy.Settings SETTINGS = new ReinitPolicy.Settings(false, Duration.ofSeconds(60), 3, 1, TH);

    static final List<Member> HEALTHY = List.of(new Member("patroni1", "leader", "running", 5L),
            new Member("patroni2", "replica", "running", 5L), new Member("patroni3", "replica", "running", 5L));

    /** patroni2, a replica whose WAL receiver is not streaming, in a cluster with a healthy leader. */
    static DriftFacts notStreaming(Instant at) {
        return new DriftFacts(at, "patroni2", true, "replica", "running", false, 5L, true, null, 0L, HEALTHY, Optional.empty(), true);
    }

    static DriftFacts streaming(Instant at) {
        return new DriftFacts(at, "patroni2", true, "replica", "running", false, 5L, true, "streaming", 0L, HEALTHY, Optional.empty(), true);
    }

    /** Feeds the same facts (shifted in time) every 2 s for {@code seconds} and returns the tracker. */
    static DriftTracker track(UnaryOperator<DriftFacts> change, int seconds) {
        DriftTracker t = DriftTracker.empty();
        for (int s = 0; s <= seconds; s += 2) {
            t = t.observe(change.apply(notStreaming(T0.plusSeconds(s))), TH);
        }
        return t;
    }

    static DriftFacts with(DriftFacts f, String role, String state, Boolean inRecovery, String walReceiver, Long timeline,
                           Long lag, List<Member> members, Optional<String> lock, boolean paused, boolean patroniUp) {
        return new DriftFacts(f.at(), f.node(), patroniUp, role, state, paused, timeline, inRecovery, walReceiver, lag, members, lock,
                f.leaderAgentUp());
    }

    /** The same facts with the leader's agent saying up (TRUE), not up (FALSE) or nothing (null). */
    static DriftFacts withLeaderAgent(DriftFacts f, Boolean up) {
        return new DriftFacts(f.at(), f.node(), f.patroniUp(), f.patroniRole(), f.patroniState(), f.patroniPaused(),
                f.timeline(), f.inRecovery(), f.walReceiver(), f.lagBytes(), f.members(), f.lockHolder(), up);
    }

    static UnaryOperator<DriftFacts> same() {
        return f -> f;
    }

    static Stream<Arguments> table() {
        List<Member> leaderDown = List.of(new Member("patroni1", "leader", "stopped", 5L),
                new Member("patroni2", "replica", "running", 5L), new Member("patroni3", "replica", "running", 5L));
        List<Member> noLeader = List.of(new Member("patroni2", "replica", "running", 5L), new Member("patroni3", "replica", "running", 5L));
        List<Member> newerTimeline = List.of(new Member("patroni1", "leader", "running", 6L),
                new Member("patroni2", "replica", "running", 5L), new Member("patroni3", "replica", "running", 6L));
        List<Member> meLeader = List.of(new Member("patroni2", "leader", "running", 5L), new Member("patroni1", "replica", "running", 5L));
        return Stream.of(
                // signal -> act
                Arguments.of("not streaming for 12 s", same(), 12, List.of(), false, true, "re-initialising patroni2 because it has not streamed WAL from the leader for 12 s"),
                Arguments.of("Patroni cannot start PostgreSQL", (UnaryOperator<DriftFacts>) f -> with(f, "replica", "start failed", null, null, 5L, null, HEALTHY, Optional.empty(), false, true), 12, List.of(), false, true, "has a PostgreSQL that Patroni cannot start"),
                Arguments.of("PostgreSQL left stopped for 62 s of 60", (UnaryOperator<DriftFacts>) f -> with(f, "replica", "stopped", null, null, 5L, null, HEALTHY, Optional.empty(), false, true), 62, List.of(), false, true, "has a PostgreSQL that Patroni leaves stopped for 62 s"),
                // Patroni says "stopped" during a former leader's crash recovery and pg_rewind too: not a start failure
                Arguments.of("PostgreSQL stopped for 12 s (a rewind may be running)", (UnaryOperator<DriftFacts>) f -> with(f, "replica", "stopped", null, null, 5L, null, HEALTHY, Optional.empty(), false, true), 12, List.of(), false, false, "drift seen (has a PostgreSQL that Patroni leaves stopped, 7 loops) but not yet for long enough"),
                Arguments.of("timeline behind the leader", (UnaryOperator<DriftFacts>) f -> with(f, "replica", "running", true, "streaming", 5L, 0L, newerTimeline, Optional.empty(), false, true), 12, List.of(), false, true, "stays on an older timeline than the leader"),
                Arguments.of("lag above the hard limit for long enough", (UnaryOperator<DriftFacts>) f -> with(f, "replica", "running", true, "streaming", 5L, 5_000_000L, HEALTHY, Optional.empty(), false, true), 32, List.of(), false, true, "lags beyond the hard limit"),
                Arguments.of("pg_rewind failure reported", (UnaryOperator<DriftFacts>) f -> with(f, "replica", "rewind failed", null, null, 5L, null, HEALTHY, Optional.empty(), false, true), 12, List.of(), false, true, "reports a failed pg_rewind"),
                // persistence
                Arguments.of("not streaming for only 6 s", same(), 6, List.of(), false, false, "not yet for long enough"),
                Arguments.of("lag above the hard limit for 12 s of 30", (UnaryOperator<DriftFacts>) f -> with(f, "replica", "running", true, "streaming", 5L, 5_000_000L, HEALTHY, Optional.empty(), false, true), 12, List.of(), false, false, "not yet for long enough"),
                Arguments.of("streaming", (UnaryOperator<DriftFacts>) f -> streaming(f.at()), 30, List.of(), false, false, "no drift"),
                // safety
                Arguments.of("never the leader (Patroni says master)", (UnaryOperator<DriftFacts>) f -> with(f, "master", "running", false, null, 5L, null, HEALTHY, Optional.empty(), false, true), 30, List.of(), false, false, "a leader is never re-initialised"),
                Arguments.of("never the leader (PostgreSQL out of recovery)", (UnaryOperator<DriftFacts>) f -> with(f, "replica", "running", false, null, 5L, null, HEALTHY, Optional.empty(), false, true), 30, List.of(), false, false, "a leader is never re-initialised"),
                Arguments.of("never the leader (Patroni's /cluster names it)", (UnaryOperator<DriftFacts>) f -> with(f, "replica", "running", true, null, 5L, null, meLeader, Optional.empty(), false, true), 30, List.of(), false, false, "a leader is never re-initialised"),
                Arguments.of("no healthy leader", (UnaryOperator<DriftFacts>) f -> with(f, "replica", "start failed", null, null, 5L, null, leaderDown, Optional.empty(), false, true), 12, List.of(), false, false, "no healthy leader to copy from"),
                Arguments.of("no leader at all", (UnaryOperator<DriftFacts>) f -> with(f, "replica", "start failed", null, null, 5L, null, noLeader, Optional.empty(), false, true), 12, List.of(), false, false, "no healthy leader to copy from"),
                // the leader crashed: /cluster still lists it running until the TTL, its agent already says down
                Arguments.of("leader's agent says its primary is not up", (UnaryOperator<DriftFacts>) f -> withLeaderAgent(f, false), 12, List.of(), false, false, "patroni1's agent does not confirm it takes writes (its primary verdict is not up)"),
                Arguments.of("no gossip from the leader's agent", (UnaryOperator<DriftFacts>) f -> withLeaderAgent(f, null), 12, List.of(), false, false, "(no gossip from it)"),
                Arguments.of("leader back for 4 s of the 10 s the drift must last", (UnaryOperator<DriftFacts>) f -> withLeaderAgent(f, !f.at().isBefore(T0.plusSeconds(8))), 12, List.of(), false, false, "confirmed up for only 4 s (need 10 s)"),
                Arguments.of("leader back long enough", (UnaryOperator<DriftFacts>) f -> withLeaderAgent(f, !f.at().isBefore(T0.plusSeconds(8))), 18, List.of(), false, true, "re-initialising patroni2"),
                Arguments.of("another node holds the reinit lock", (UnaryOperator<DriftFacts>) f -> with(f, "replica", "running", true, null, 5L, 0L, HEALTHY, Optional.of("patroni3"), false, true), 12, List.of(), false, false, "patroni3 is being re-initialised; one at a time"),
                Arguments.of("this node holds the lock already", (UnaryOperator<DriftFacts>) f -> with(f, "replica", "running", true, null, 5L, 0L, HEALTHY, Optional.of("patroni2"), false, true), 12, List.of(), false, true, "re-initialising patroni2"),
                Arguments.of("Patroni paused", (UnaryOperator<DriftFacts>) f -> with(f, "replica", "running", true, null, 5L, 0L, HEALTHY, Optional.empty(), true, true), 12, List.of(), false, false, "Patroni is paused"),
                Arguments.of("operator pause", same(), 12, List.of(), true, false, "paused by an operator"),
                Arguments.of("cool-down after a reinit 30 s ago", same(), 12, List.of(T0.minusSeconds(18)), false, false, "cool-down 60 s"),
                Arguments.of("cool-down over", same(), 12, List.of(T0.minusSeconds(120)), false, true, "re-initialising"),
                Arguments.of("hourly cap reached", same(), 12, List.of(T0.minusSeconds(3000), T0.minusSeconds(2000), T0.minusSeconds(1000)), false, false, "3 times in the last hour (cap 3)"),
                Arguments.of("old attempts do not count to the cap", same(), 12, List.of(T0.minusSeconds(9000), T0.minusSeconds(8000), T0.minusSeconds(7000)), false, true, "re-initialising"),
                Arguments.of("Patroni down", (UnaryOperator<DriftFacts>) f -> with(f, null, null, null, null, null, null, HEALTHY, Optional.empty(), false, false), 30, List.of(), false, false, "Patroni does not answer"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(String name, UnaryOperator<DriftFacts> change, int seconds, List<Instant> attempts, boolean operatorPause,
                 boolean act, String reason) {
        DriftTracker t = track(change, seconds);
        DriftFacts now = change.apply(notStreaming(T0.plusSeconds(seconds)));
        ReinitDecision d = new ReinitPolicy(SETTINGS).decide(now, t, attempts, false, operatorPause, T0.plusSeconds(seconds));
        assertEquals(act, d.act(), d.reason());
        assertTrue(d.reason().contains(reason), "reason was: " + d.reason());
    }

    @Test
    void dryRunReportsButNeverActs() {
        var dry = new ReinitPolicy(new ReinitPolicy.Settings(true, Duration.ofSeconds(60), 3, 1, TH));
        ReinitDecision d = dry.decide(notStreaming(T0.plusSeconds(12)), track(same(), 12), List.of(), false, false, T0.plusSeconds(12));
        assertFalse(d.act());
        assertTrue(d.reason().startsWith("dry run: would re-initialise patroni2 because it has not streamed"), d.reason());
    }

    @Test
    void requiringAHealthyReplicaBesidesTheLeaderHolds() {
        var strict = new ReinitPolicy(new ReinitPolicy.Settings(false, Duration.ofSeconds(60), 3, 2, TH));
        List<Member> otherBroken = List.of(new Member("patroni1", "leader", "running", 5L),
                new Member("patroni2", "replica", "running", 5L), new Member("patroni3", "replica", "start failed", 5L));
        UnaryOperator<DriftFacts> c = f -> with(f, "replica", "running", true, null, 5L, 0L, otherBroken, Optional.empty(), false, true);
        ReinitDecision d = strict.decide(c.apply(notStreaming(T0.plusSeconds(12))), track(c, 12), List.of(), false, false, T0.plusSeconds(12));
        assertFalse(d.act());
        assertTrue(d.reason().contains("only 1 other member(s) are healthy (need 2)"), d.reason());
    }

    @Test
    void nothingWhileARunIsUnderWay() {
        ReinitDecision d = new ReinitPolicy(SETTINGS).decide(notStreaming(T0.plusSeconds(12)), track(same(), 12), List.of(), true, false, T0.plusSeconds(12));
        assertFalse(d.act());
        assertEquals("a reinit of this node is under way", d.reason());
    }

    @Test
    void aSignalMustPersistOverConsecutiveLoops() {
        DriftTracker t = DriftTracker.empty();
        t = t.observe(notStreaming(T0), TH);
        t = t.observe(streaming(T0.plusSeconds(5)), TH);
        t = t.observe(notStreaming(T0.plusSeconds(10)), TH);
        t = t.observe(notStreaming(T0.plusSeconds(15)), TH);
        // Broken streak: the signal restarted at 10 s and is 5 s old with 2 loops at 15 s.
        assertTrue(t.confirmed(T0.plusSeconds(15), TH).isEmpty());
        t = t.observe(notStreaming(T0.plusSeconds(20)), TH);
        assertEquals(Optional.of(DriftSignal.NOT_STREAMING), t.confirmed(T0.plusSeconds(20), TH));
        assertEquals(new ArrayList<>(List.of(T0.plusSeconds(10))), new ArrayList<>(List.of(t.seen().get(DriftSignal.NOT_STREAMING).since())));
    }
}
