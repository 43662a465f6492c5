package io.pgha.agent.fastpath;

import io.pgha.agent.fastpath.CrashEvidence.LeaderKey;
import io.pgha.agent.fastpath.CrashEvidence.PortState;
import io.pgha.agent.fastpath.CrashEvidence.PostmasterState;
import io.pgha.agent.fastpath.CrashEvidence.ProcessState;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeaderGonePolicyTest {
    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");
    private static final LeaderKey MINE = new LeaderKey("patroni1", 42);
    private static final LeaderGonePolicy.Settings ON =
            new LeaderGonePolicy.Settings(true, 2, Duration.ofMillis(100), Duration.ofSeconds(2));

    /** Both dead by every sign, key held by this node at revision 42, read with a quorum. */
    private static CrashEvidence dead(long atMillis) {
        return new CrashEvidence(T0.plusMillis(atMillis), Optional.of(MINE), true, PortState.REFUSED,
                ProcessState.ABSENT, PortState.REFUSED, PostmasterState.ABSENT, true);
    }

    private static CrashEvidence with(CrashEvidence e, UnaryOperator<Builder> change) {
        return change.apply(new Builder(e)).build();
    }

    /** Two checks 250 ms apart; the change is applied to both, as a persistent condition would be. */
    private static List<CrashEvidence> twice(UnaryOperator<Builder> change) {
        return List.of(with(dead(0), change), with(dead(250), change));
    }

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("both dead in two checks", List.of(dead(0), dead(250)), true, "releasing the leader key: patroni1 holds it at revision 42"),
                Arguments.of("stale postmaster.pid whose PID is reused", twice(b -> b.postmaster(PostmasterState.REUSED)), true, "PID now used by another process"),
                Arguments.of("postmaster.pid names a dead PID", twice(b -> b.postmaster(PostmasterState.DEAD)), true, "names a dead PID"),
                Arguments.of("processes not visible (own PID namespace)", twice(b -> b.patroniProcess(ProcessState.UNKNOWN)), true, "processes not visible"),
                Arguments.of("only one check so far", List.of(dead(0)), false, "in 1 of 2 checks; waiting for confirmation"),
                Arguments.of("two checks too close together", List.of(dead(0), dead(20)), false, "in 1 of 2 checks"),
                Arguments.of("two checks too far apart", List.of(dead(0), dead(2500)), false, "in 1 of 2 checks"),
                Arguments.of("a live check between", List.of(dead(0), with(dead(250), b -> b.patroniPort(PortState.OPEN)), dead(500)), false, "in 1 of 2 checks"),
                Arguments.of("key revision changed between checks", List.of(with(dead(0), b -> b.key(new LeaderKey("patroni1", 41))), dead(250)), false, "in 1 of 2 checks"),
                Arguments.of("Patroni hung: connect times out", twice(b -> b.patroniPort(PortState.TIMEOUT)), false, "a hung Patroni is not a dead one"),
                Arguments.of("Patroni alive", twice(b -> b.patroniPort(PortState.OPEN)), false, "Patroni's REST port accepts connections"),
                Arguments.of("Patroni port error", twice(b -> b.patroniPort(PortState.ERROR)), false, "proves nothing"),
                Arguments.of("Patroni port refused but its process exists", twice(b -> b.patroniProcess(ProcessState.RUNNING)), false, "a Patroni process still exists"),
                Arguments.of("Patroni dead but PostgreSQL alive", twice(b -> b.postgresPort(PortState.OPEN).postmaster(PostmasterState.ALIVE)), false, "PostgreSQL accepts connections"),
                Arguments.of("PostgreSQL dead but Patroni alive (it will restart it)", twice(b -> b.patroniPort(PortState.OPEN).patroniProcess(ProcessState.RUNNING)), false, "Patroni's REST port accepts connections"),
                Arguments.of("PostgreSQL hung: connect times out", twice(b -> b.postgresPort(PortState.TIMEOUT)), false, "a hung postmaster is not a dead one"),
                Arguments.of("PostgreSQL port refused but postmaster alive (restarting)", twice(b -> b.postmaster(PostmasterState.ALIVE)), false, "a live postmaster still owns the data directory"),
                Arguments.of("postmaster dead but its backends still run", twice(b -> b.postmaster(PostmasterState.ORPHANS)), false, "processes still run in the data directory"),
                Arguments.of("postmaster.pid unreadable", twice(b -> b.postmaster(PostmasterState.UNKNOWN)), false, "cannot be ruled out"),
                Arguments.of("key already owned by another node", twice(b -> b.key(new LeaderKey("patroni2", 57))), false, "the leader key names patroni2, not this node"),
                Arguments.of("no leader key", twice(b -> b.noKey()), false, "there is no leader key to release"),
                Arguments.of("etcd without quorum", twice(b -> b.quorum(false)), false, "etcd could not be read with a quorum"),
                Arguments.of("the agent itself unhealthy", twice(b -> b.agentHealthy(false)), false, "the agent itself is not healthy"),
                Arguments.of("no checks", List.of(), false, "no check has run yet"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(String name, List<CrashEvidence> history, boolean release, String reasonFragment) {
        Instant now = history.isEmpty() ? T0 : history.get(history.size() - 1).at().plusMillis(10);
        LeaderGoneDecision d = new LeaderGonePolicy("patroni1", ON).decide(history, now);
        assertEquals(release, d.releases(), d.reason());
        assertTrue(d.reason().contains(reasonFragment), "reason was: " + d.reason());
        if (release) {
            assertEquals(history.get(history.size() - 1).leaderKey(), d.release());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void neverReleasesWhenDisabled(String name, List<CrashEvidence> history, boolean release, String reasonFragment) {
        var off = new LeaderGonePolicy.Settings(false, 2, Duration.ofMillis(100), Duration.ofSeconds(2));
        LeaderGoneDecision d = new LeaderGonePolicy("patroni1", off).decide(history, T0.plusSeconds(1));
        assertTrue(!d.releases() && d.reason().contains("fast path is off"), d.reason());
    }

    @org.junit.jupiter.api.Test
    void oldEvidenceReleasesNothing() {
        LeaderGoneDecision d = new LeaderGonePolicy("patroni1", ON).decide(List.of(dead(0), dead(250)), T0.plusSeconds(10));
        assertTrue(!d.releases() && d.reason().contains("older than"), d.reason());
    }

    @org.junit.jupiter.api.Test
    void threeConfirmationsNeedThreeChecks() {
        var three = new LeaderGonePolicy.Settings(true, 3, Duration.ofMillis(100), Duration.ofSeconds(2));
        var policy = new LeaderGonePolicy("patroni1", three);
        List<CrashEvidence> h = new ArrayList<>(List.of(dead(0), dead(250)));
        assertTrue(!policy.decide(h, T0.plusMillis(260)).releases());
        h.add(dead(500));
        assertTrue(policy.decide(h, T0.plusMillis(510)).releases());
    }

    @org.junit.jupiter.api.Test
    void settingsRejectFewerThanTwoConfirmations() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new LeaderGonePolicy.Settings(true, 1, Duration.ofMillis(100), Duration.ofSeconds(2)));
        assertTrue(e.getMessage().contains("pgha.fast-path.confirmations"));
    }

    /** Test-only builder: the record has no withers. */
    static final class Builder {
        private Instant at;
        private Optional<LeaderKey> key;
        private boolean quorum;
        private PortState patroniPort;
        private ProcessState patroniProcess;
        private PortState postgresPort;
        private PostmasterState postmaster;
        private boolean agentHealthy;

        Builder(CrashEvidence e) {
            at = e.at();
            key = e.leaderKey();
            quorum = e.etcdQuorum();
            patroniPort = e.patroniPort();
            patroniProcess = e.patroniProcess();
            postgresPort = e.postgresPort();
            postmaster = e.postmaster();
            agentHealthy = e.agentHealthy();
        }

        Builder key(LeaderKey k) { key = Optional.of(k); return this; }
        Builder noKey() { key = Optional.empty(); return this; }
        Builder quorum(boolean q) { quorum = q; return this; }
        Builder patroniPort(PortState s) { patroniPort = s; return this; }
        Builder patroniProcess(ProcessState s) { patroniProcess = s; return this; }
        Builder postgresPort(PortState s) { postgresPort = s; return this; }
        Builder postmaster(PostmasterState s) { postmaster = s; return this; }
        Builder agentHealthy(boolean h) { agentHealthy = h; return this; }

        CrashEvidence build() {
            return new CrashEvidence(at, key, quorum, patroniPort, patroniProcess, postgresPort, postmaster, agentHealthy);
        }
    }
}
