package io.pgha.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Settings that would make backups silently not happen are refused, naming the property and its env name. */
class BackupConfigCheckTest {

    /** The defaults of BackupConfig, with a directory; each row changes one thing. */
    record Conf(Optional<String> schedule, Optional<Path> dir, List<String> databases, Path binDir, String format,
            int jobs, boolean allowLeader, Duration delayPerMib, Duration leaderDelay, long maxLagBytes,
            Duration timeout, Duration leaseTtl, int keepCount, Duration keepAge, long minFreeBytes,
            Optional<String> drillSchedule, Optional<Path> adminTokenFile) implements BackupConfig {

        static Conf defaults() {
            return new Conf(Optional.of("0 0 3 * * ?"), Optional.of(Path.of("/tmp")), List.of("postgres"),
                    Path.of("/usr/lib/postgresql/15/bin"), "custom", 2, true, Duration.ofMillis(200),
                    Duration.ofSeconds(15), 64L << 20, Duration.ofHours(2), Duration.ofSeconds(10), 7,
                    Duration.ofDays(7), 0, Optional.empty(), Optional.empty());
        }
    }

    static Stream<Arguments> table() {
        Conf d = Conf.defaults();
        return Stream.of(
                row("schedule without a directory", c -> new Conf(c.schedule(), Optional.empty(), c.databases(),
                        c.binDir(), c.format(), c.jobs(), c.allowLeader(), c.delayPerMib(), c.leaderDelay(),
                        c.maxLagBytes(), c.timeout(), c.leaseTtl(), c.keepCount(), c.keepAge(), c.minFreeBytes(),
                        c.drillSchedule(), c.adminTokenFile()),
                        "pgha.backup.schedule [PGHA_BACKUP_SCHEDULE] is set but pgha.backup.dir"),
                row("relative directory", c -> new Conf(c.schedule(), Optional.of(Path.of("backups")), c.databases(),
                        c.binDir(), c.format(), c.jobs(), c.allowLeader(), c.delayPerMib(), c.leaderDelay(),
                        c.maxLagBytes(), c.timeout(), c.leaseTtl(), c.keepCount(), c.keepAge(), c.minFreeBytes(),
                        c.drillSchedule(), c.adminTokenFile()), "pgha.backup.dir [PGHA_BACKUP_DIR] must be an absolute path"),
                row("no pg_dump in bin-dir", c -> new Conf(c.schedule(), c.dir(), c.databases(), Path.of("/nonexistent"),
                        c.format(), c.jobs(), c.allowLeader(), c.delayPerMib(), c.leaderDelay(), c.maxLagBytes(),
                        c.timeout(), c.leaseTtl(), c.keepCount(), c.keepAge(), c.minFreeBytes(), c.drillSchedule(),
                        c.adminTokenFile()), "pgha.backup.bin-dir [PGHA_BACKUP_BIN_DIR] has no executable pg_dump"),
                row("unknown format", c -> new Conf(c.schedule(), c.dir(), c.databases(), c.binDir(), "tar", c.jobs(),
                        c.allowLeader(), c.delayPerMib(), c.leaderDelay(), c.maxLagBytes(), c.timeout(), c.leaseTtl(),
                        c.keepCount(), c.keepAge(), c.minFreeBytes(), c.drillSchedule(), c.adminTokenFile()),
                        "pgha.backup.format [PGHA_BACKUP_FORMAT] must be custom or directory"),
                row("leader would not wait longer than a lagging replica", c -> new Conf(c.schedule(), c.dir(),
                        c.databases(), c.binDir(), c.format(), c.jobs(), true, c.delayPerMib(), Duration.ofSeconds(12),
                        c.maxLagBytes(), c.timeout(), c.leaseTtl(), c.keepCount(), c.keepAge(), c.minFreeBytes(),
                        c.drillSchedule(), c.adminTokenFile()),
                        "pgha.backup.leader-delay [PGHA_BACKUP_LEADER_DELAY] must exceed"),
                row("lease shorter than an etcd call", c -> new Conf(c.schedule(), c.dir(), c.databases(), c.binDir(),
                        c.format(), c.jobs(), c.allowLeader(), c.delayPerMib(), c.leaderDelay(), c.maxLagBytes(),
                        c.timeout(), Duration.ofSeconds(2), c.keepCount(), c.keepAge(), c.minFreeBytes(),
                        c.drillSchedule(), c.adminTokenFile()), "pgha.backup.lease-ttl [PGHA_BACKUP_LEASE_TTL]"),
                row("keep nothing", c -> new Conf(c.schedule(), c.dir(), c.databases(), c.binDir(), c.format(),
                        c.jobs(), c.allowLeader(), c.delayPerMib(), c.leaderDelay(), c.maxLagBytes(), c.timeout(),
                        c.leaseTtl(), 0, c.keepAge(), c.minFreeBytes(), c.drillSchedule(), c.adminTokenFile()),
                        "pgha.backup.keep-count [PGHA_BACKUP_KEEP_COUNT] must be at least 1"));
    }

    static Arguments row(String name, UnaryOperator<Conf> change, String problem) {
        return Arguments.of(name, change.apply(Conf.defaults()), problem);
    }

    @Test
    void theDefaultsPass() {
        assertEquals(List.of(), BackupConfigCheck.problems(Conf.defaults()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void refuses(String name, Conf c, String problem) {
        List<String> p = BackupConfigCheck.problems(c);
        assertTrue(p.stream().anyMatch(s -> s.startsWith(problem)), p.toString());
    }
}
