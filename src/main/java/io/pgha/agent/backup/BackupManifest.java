package io.pgha.agent.backup;

import io.pgha.agent.json.Json;
import io.pgha.agent.json.OmitNulls;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What one backup is: written next to the dump once the dump is complete, checksummed and verified. A dump
 * without a manifest is not a backup, and retention deletes only the files a manifest of ours names, so
 * {@link #parse} is strict: anything it cannot vouch for (foreign writer, a file name that leaves the backup
 * directory, missing fields) is refused with a reason rather than half-read.
 *
 * @param kind       {@code database} (pg_dump) or {@code globals} (pg_dumpall --globals-only)
 * @param files      names relative to the backup directory; one file, or one directory for -Fd
 * @param timeline   timeline at the start of the dump; {@code startLsn} the replay (replica) or insert (primary) LSN
 * @param databaseBytes pg_database_size at the start, to scale the next run's space estimate
 * @param drill      the last restore drill of this backup, null until one ran
 * @param run        what started it: {@code scheduled <fire instant>} (the etcd run key) or {@code manual}
 */
@OmitNulls
public record BackupManifest(int version, String writer, String id, String database, String kind, String format,
        List<String> files, String node, String role, Long timeline, String startLsn, Instant startedAt,
        Instant endedAt, long sizeBytes, long databaseBytes, String sha256, String pgDumpVersion, Verification verification,
        Drill drill, String run) {

    public static final String WRITER = "pgha-agent";
    public static final String SUFFIX = ".manifest.json";
    static final int VERSION = 1;
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Json JSON = new Json();

    /** @param entries objects pg_restore --list found; {@code detail} says what failed when not ok */
    public record Verification(boolean ok, String method, int entries, String detail) {
    }

    public record Drill(Instant at, boolean ok, String database, int tables, long rows, long millis, String detail) {
    }

    /** Parsed, or the reason it was refused. */
    public record Parsed(Optional<BackupManifest> manifest, String problem) {
        static Parsed ok(BackupManifest m) {
            return new Parsed(Optional.of(m), "");
        }

        static Parsed refused(String why) {
            return new Parsed(Optional.empty(), why);
        }
    }

    /** Good = a complete, verified dump: the only kind reported as a backup or picked for a drill. */
    public boolean good() {
        return verification != null && verification.ok() && sha256 != null;
    }

    public BackupManifest withDrill(Drill d) {
        return new BackupManifest(version, writer, id, database, kind, format, files, node, role, timeline, startLsn,
                startedAt, endedAt, sizeBytes, databaseBytes, sha256, pgDumpVersion, verification, d, run);
    }

    public String toJson() {
        return JSON.writePretty(this);
    }

    public static boolean safeName(String name) {
        return name != null && SAFE_NAME.matcher(name).matches() && !name.contains("..");
    }

    public static Parsed parse(String text) {
        BackupManifest m;
        try {
            m = JSON.read(text, BackupManifest.class);
        } catch (IOException e) {
            return Parsed.refused("not a manifest: " + firstLine(e.getMessage()));
        } catch (IllegalArgumentException e) {
            return Parsed.refused("not a manifest: " + firstLine(e.getMessage()));
        }
        if (m == null) {
            return Parsed.refused("not a manifest: empty");
        }
        List<String> problems = new ArrayList<>();
        if (!WRITER.equals(m.writer())) {
            problems.add("written by " + m.writer() + ", not " + WRITER);
        }
        if (m.version() != VERSION) {
            problems.add("version " + m.version() + " is not " + VERSION);
        }
        if (!safeName(m.id())) {
            problems.add("id '" + m.id() + "' is not a plain file name");
        }
        if (m.database() == null || m.database().isBlank()) {
            problems.add("no database");
        }
        if (m.endedAt() == null || m.startedAt() == null) {
            problems.add("no start or end time");
        }
        if (m.files() == null || m.files().isEmpty()) {
            problems.add("names no files");
        } else {
            for (String f : m.files()) {
                if (!safeName(f)) {
                    problems.add("file '" + f + "' is not a plain name inside the backup directory");
                }
            }
        }
        if (m.sha256() != null && !SHA256.matcher(m.sha256()).matches()) {
            problems.add("sha256 is not 64 hex digits");
        }
        return problems.isEmpty() ? Parsed.ok(m) : Parsed.refused(String.join("; ", problems));
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
