package io.pgha.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgha.agent.node.NodeSnapshot;
import io.pgha.agent.node.Outcome;
import io.pgha.agent.node.PostgresStatus;
import io.pgha.agent.node.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Who claims a scheduled run and after how long: one row per situation, with the sentence expected. */
class BackupPolicyTest {

    static final Instant NOW = Instant.parse("2026-11-26T03:00:00Z");
    static final long MIB = 1024 * 1024;

    static BackupPolicy policy(boolean allowLeader) {
        return new BackupPolicy(new BackupPolicy.Settings(allowLeader, Duration.ofMillis(200), Duration.ofSeconds(15),
                64 * MIB, Duration.ofSeconds(10)));
    }

    static Optional<NodeSnapshot> node(Boolean inRecovery, String receiver, Long lagBytes) {
        PostgresStatus pg = new PostgresStatus(ProbeResult.ok(Duration.ofMillis(2)), inRecovery, 3L, "0/3000000",
                "0/3000000", lagBytes, Duration.ZERO, receiver, 90);
        return Optional.of(new NodeSnapshot("n1", NOW.minusMillis(300), pg, null, null, false));
    }

    static Stream<Arguments> runner() {
        PostgresStatus down = PostgresStatus.unreachable(ProbeResult.failed(Outcome.REFUSED, "refused",
                Duration.ofMillis(1)));
        return Stream.of(
                row("caught-up replica claims at once", true, node(true, "streaming", 0L), true, 0,
                        "streaming replica lagging 0 bytes: claims after 0 ms"),
                row("replica 1 byte behind waits one step", true, node(true, "streaming", 1L), true, 200,
                        "claims after 200 ms"),
                row("replica 10 MiB behind waits ten steps", true, node(true, "streaming", 10 * MIB), true, 2000,
                        "lagging 10485760 bytes: claims after 2000 ms"),
                row("replica at the lag limit is still a candidate", true, node(true, "streaming", 64 * MIB), true,
                        12800, "claims after 12800 ms"),
                row("replica over the lag limit steps aside", true, node(true, "streaming", 64 * MIB + 1), false, 0,
                        "not a candidate: replica lags 67108865 bytes, more than 67108864"),
                row("replica not streaming", true, node(true, "stopping", 0L), false, 0,
                        "not a candidate: replica is not streaming (wal receiver stopping)"),
                row("replica without a wal receiver", true, node(true, null, 0L), false, 0,
                        "(wal receiver absent)"),
                row("replica with unknown lag", true, node(true, "streaming", null), false, 0,
                        "replay lag is unknown"),
                row("leader waits longest", true, node(false, null, 0L), true, 15000,
                        "primary: claims after 15000 ms unless a replica claimed the run first"),
                row("leader not allowed", false, node(false, null, 0L), false, 0,
                        "this node is the primary and pgha.backup.allow-leader is false"),
                row("no snapshot yet", true, Optional.empty(), false, 0, "not a candidate: no health snapshot yet"),
                row("stale snapshot", true, node(true, "streaming", 0L).map(s -> new NodeSnapshot(s.nodeName(),
                        NOW.minusSeconds(11), s.postgres(), null, null, false)), false, 0,
                        "health snapshot is 11000 ms old"),
                row("PostgreSQL down", true, Optional.of(new NodeSnapshot("n1", NOW, down, null, null, false)), false,
                        0, "not a candidate: PostgreSQL is not reachable"));
    }

    static Arguments row(String name, boolean allowLeader, Optional<NodeSnapshot> s, boolean candidate, long delayMs,
            String reason) {
        return Arguments.of(name, allowLeader, s, candidate, delayMs, reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void runner(String name, boolean allowLeader, Optional<NodeSnapshot> s, boolean candidate, long delayMs,
            String reason) {
        BackupPolicy.RunnerDecision d = policy(allowLeader).runner(s, NOW);
        assertEquals(candidate, d.candidate(), d.reason());
        assertEquals(delayMs, d.delay().toMillis(), d.reason());
        assertTrue(d.reason().contains(reason), d.reason());
    }

    static Stream<Arguments> space() {
        var prev = Optional.of(new BackupPolicy.PreviousDump(100 * MIB, 1000 * MIB));
        return Stream.of(
                Arguments.of("first dump: a third of the database fits", 400 * MIB, 900 * MIB, Optional.empty(), 0L,
                        true, 300 * MIB, "room for db: about 314572800 bytes needed"),
                Arguments.of("first dump: a third does not fit", 200 * MIB, 900 * MIB, Optional.empty(), 0L, false,
                        300 * MIB, "a third of the database size (943718400 bytes)"),
                Arguments.of("same size as last time plus a fifth", 121 * MIB, 1000 * MIB, prev, 0L, true,
                        (long) (100 * MIB * 1.2), "room"),
                Arguments.of("database doubled: estimate doubles", 200 * MIB, 2000 * MIB, prev, 0L, false,
                        (long) (200 * MIB * 1.2), "the last dump (104857600 bytes) scaled by growth"),
                Arguments.of("database shrank: never below the last dump", 121 * MIB, 10 * MIB, prev, 0L, true,
                        (long) (100 * MIB * 1.2), "room"),
                Arguments.of("reserve counts", 130 * MIB, 1000 * MIB, prev, 20 * MIB, false,
                        (long) (100 * MIB * 1.2), "plus 20971520 reserved"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void space(String name, long free, long dbBytes, Optional<BackupPolicy.PreviousDump> prev, long reserve,
            boolean enough, long estimate, String reason) {
        BackupPolicy.SpaceDecision d = policy(true).space("db", free, dbBytes, prev, reserve);
        assertEquals(enough, d.enough(), d.reason());
        assertEquals(estimate, d.estimateBytes(), d.reason());
        assertTrue(d.reason().contains(reason), d.reason());
    }
}
