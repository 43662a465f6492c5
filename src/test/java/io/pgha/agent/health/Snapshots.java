package io.pgha.agent.health;

import io.pgha.agent.node.EtcdStatus;
import io.pgha.agent.node.NodeSnapshot;
import io.pgha.agent.node.Outcome;
import io.pgha.agent.node.PatroniStatus;
import io.pgha.agent.node.PostgresStatus;
import io.pgha.agent.node.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Fixture builder: a healthy leader or replica, then one thing changed per test row. */
final class Snapshots {

    static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    static final String ME = "node1";
    static final String KEY = "/service/postgres-ha/leader";
    static final long MB = 1024 * 1024;

    static HealthSettings settings(boolean maintenanceDrains) {
        return new HealthSettings(ME, Duration.ofSeconds(1), Duration.ofSeconds(5), MB, 16 * MB, 64 * MB,
                Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(10), maintenanceDrains);
    }

    Instant takenAt = NOW;
    boolean maintenance;
    // Patroni
    ProbeResult patroniProbe = ProbeResult.ok(Duration.ofMillis(3));
    String role = "master";
    String state = "running";
    boolean noLoadBalance;
    // PostgreSQL
    ProbeResult pgProbe = ProbeResult.ok(Duration.ofMillis(2));
    boolean inRecovery;
    Long lagBytes = 0L;
    Duration lag = Duration.ZERO;
    String walReceiver;
    Instant streamedAt;
    // etcd
    ProbeResult etcdProbe = ProbeResult.ok(Duration.ofMillis(1));
    Optional<String> leader = Optional.of(ME);
    Instant lastRead = NOW;
    io.pgha.agent.node.ClaimJudgement claim;

    static Snapshots leader() {
        return new Snapshots();
    }

    static Snapshots replica() {
        Snapshots s = new Snapshots();
        s.role = "replica";
        s.inRecovery = true;
        s.walReceiver = "streaming";
        s.leader = Optional.of("node2");
        return s;
    }

    Snapshots lag(long bytes, Duration seconds) {
        lagBytes = bytes;
        lag = seconds;
        return this;
    }

    /** The WAL receiver is {@code receiver} (null: not running) and was last seen streaming {@code ago} before NOW. */
    Snapshots reconnecting(String receiver, Duration ago) {
        walReceiver = receiver;
        streamedAt = NOW.minus(ago);
        return this;
    }

    Snapshots patroniFails(Outcome outcome, Duration took) {
        patroniProbe = ProbeResult.failed(outcome, outcome == Outcome.ERROR ? "HTTP 500" : "x", took);
        return this;
    }

    Snapshots postgresFails(Outcome outcome) {
        pgProbe = ProbeResult.failed(outcome, "Connection refused", Duration.ofMillis(1));
        return this;
    }

    /** etcd's last good read was {@code ago} before NOW and this cycle's read failed. */
    Snapshots etcdUnreadableFor(Duration ago) {
        etcdProbe = ProbeResult.failed(Outcome.TIMEOUT, "no answer", Duration.ofMillis(500));
        lastRead = NOW.minus(ago);
        return this;
    }

    Snapshots with(java.util.function.Consumer<Snapshots> change) {
        change.accept(this);
        return this;
    }

    NodeSnapshot build() {
        PatroniStatus patroni = patroniProbe.succeeded()
                ? new PatroniStatus(patroniProbe, role, state, 3L, false, false, false, noLoadBalance)
                : PatroniStatus.unreachable(patroniProbe);
        PostgresStatus pg = pgProbe.succeeded()
                ? new PostgresStatus(pgProbe, inRecovery, 3L, "0/3000060", "0/3000060", lagBytes, lag,
                        walReceiver, 90)
                : PostgresStatus.unreachable(pgProbe);
        EtcdStatus etcd = new EtcdStatus(etcdProbe, KEY, leader, lastRead, claim, 0);
        return new NodeSnapshot(ME, takenAt, pg, patroni, etcd, maintenance, streamedAt);
    }
}
