package io.pgha.agent.backup;

import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code pgha.backup.*}. Backups are off until {@link #dir()} is set; the schedule is off until
 * {@link #schedule()} is set (the manual trigger still works with a directory alone).
 */
public interface BackupConfig {

    /** Quartz-style cron with seconds, e.g. {@code 0 0 3 * * ?}; same on every node (the run key is the instant). */
    Optional<String> schedule();

    /** Where dumps and manifests go; owned by the agent's user. Unset: backups off. */
    Optional<Path> dir();

    @WithDefault("postgres")
    List<String> databases();

    @WithDefault("/usr/lib/postgresql/15/bin")
    Path binDir();

    /** {@code custom} (one file, -Fc) or {@code directory} (-Fd with {@link #jobs()} parallel workers). */
    @WithDefault("custom")
    String format();

    @WithDefault("2")
    int jobs();

    /** May the leader run a scheduled backup when no healthy replica claimed it first? */
    @WithDefault("true")
    boolean allowLeader();

    /** A replica waits this long per MiB of replay lag before claiming, so the least lagged one claims first. */
    @WithDefault("200ms")
    Duration delayPerMib();

    /** The leader waits this long before claiming: replicas get the first chance. */
    @WithDefault("15s")
    Duration leaderDelay();

    /** A replica whose replay lag exceeds this is not a candidate (a stale backup is worse than a leader one). */
    @WithDefault("67108864")
    long maxLagBytes();

    /** Bound on one pg_dump / pg_dumpall / pg_restore; the process is killed after it. */
    @WithDefault("2h")
    Duration timeout();

    /** TTL of the etcd lease behind a claim: how long a dead runner blocks the next run. */
    @WithDefault("10s")
    Duration leaseTtl();

    /** Keep at most this many good backups per database (the newest is always kept). */
    @WithDefault("7")
    int keepCount();

    /** Delete good backups older than this (the newest is always kept). */
    @WithDefault("7d")
    Duration keepAge();

    /** Refuse to start a dump when less than the estimate plus this would remain free. */
    @WithDefault("0")
    long minFreeBytes();

    /** Cron for the restore drill of the newest backup this node holds; unset: on demand only. */
    Optional<String> drillSchedule();
}
