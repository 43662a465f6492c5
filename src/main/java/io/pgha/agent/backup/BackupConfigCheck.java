package io.pgha.agent.backup;

import static io.pgha.agent.setting.Setting.bad;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds backup settings that would make backups silently not happen, in ConfigCheck's style: each problem
 * names the property and its env variable. Run with the rest at startup (ConfigCheck), in every mode.
 */
public final class BackupConfigCheck {

    private static final long MIB = 1024 * 1024;

    private BackupConfigCheck() {
    }

    public static List<String> problems(BackupConfig c) {
        List<String> p = new ArrayList<>();
        if (c.schedule().isPresent() && c.dir().isEmpty()) {
            p.add(bad("pgha.backup.schedule", "is set but pgha.backup.dir [PGHA_BACKUP_DIR] is not"));
        }
        c.dir().ifPresent(d -> {
            if (!d.isAbsolute()) {
                p.add(bad("pgha.backup.dir", "must be an absolute path, got " + d));
            } else if (Files.exists(d) && (!Files.isDirectory(d) || !Files.isWritable(d))) {
                p.add(bad("pgha.backup.dir", d + " is not a writable directory"));
            }
            for (String tool : List.of("pg_dump", "pg_dumpall", "pg_restore")) {
                if (!Files.isExecutable(c.binDir().resolve(tool))) {
                    p.add(bad("pgha.backup.bin-dir", "has no executable " + tool + " in " + c.binDir()));
                }
            }
        });
        if (c.databases().isEmpty() || c.databases().stream().anyMatch(String::isBlank)) {
            p.add(bad("pgha.backup.databases", "must list at least one database"));
        }
        if (!Set.of("custom", "directory").contains(c.format())) {
            p.add(bad("pgha.backup.format", "must be custom or directory, got '" + c.format() + "'"));
        }
        if (c.jobs() < 1 || c.jobs() > 64) {
            p.add(bad("pgha.backup.jobs", "must be 1..64, got " + c.jobs()));
        }
        if (c.leaseTtl().toSeconds() < 3) {
            p.add(bad("pgha.backup.lease-ttl", "must be at least 3s (etcd calls are cut at 3s)"));
        }
        // The leader must wait longer than the most lagged replica that is still a candidate.
        Duration worstReplica = c.delayPerMib().multipliedBy((c.maxLagBytes() + MIB - 1) / MIB);
        if (c.allowLeader() && c.leaderDelay().compareTo(worstReplica) <= 0) {
            p.add(bad("pgha.backup.leader-delay", "must exceed pgha.backup.delay-per-mib x max-lag-bytes in MiB ("
                    + worstReplica + "), got " + c.leaderDelay()));
        }
        if (c.keepCount() < 1) {
            p.add(bad("pgha.backup.keep-count", "must be at least 1"));
        }
        if (c.keepAge().isNegative() || c.keepAge().isZero()) {
            p.add(bad("pgha.backup.keep-age", "must be positive"));
        }
        if (c.timeout().toSeconds() < 1) {
            p.add(bad("pgha.backup.timeout", "must be at least 1s"));
        }
        return p;
    }
}
