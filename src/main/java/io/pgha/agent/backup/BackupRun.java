package io.pgha.agent.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * One backup run on this node: globals, then each configured database. Per dump: room check, pg_dump to a
 * partial name, SHA-256, {@code pg_restore --list} on the partial file, then fsync and atomic rename, then the
 * manifest. The verification runs before the rename (not after, as first sketched), so no file ever carries a
 * final name unless it was verified; a failed step removes the partial file. One database failing does not
 * stop the others, but fails the run.
 */
final class BackupRun {

    /** A failed dump: {@code kind} for the metric, {@code cause} for the log line and the gossip. */
    record Failure(String database, String kind, String cause) {
    }

    record Outcome(List<BackupManifest> made, List<Failure> failures) {
        boolean ok() {
            return failures.isEmpty() && !made.isEmpty();
        }
    }

    private static final Logger LOG = Logger.getLogger(BackupRun.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final BackupConfig config;
    private final BackupPolicy policy;
    private final BackupStore store;
    private final PgTools tools;
    private final PgFacts facts;
    private final PgTarget target;
    private final String node;
    private final BackupMetrics metrics;
    private final Clock clock;
    private final BooleanSupplier lost;
    private final String runLabel;

    BackupRun(BackupConfig config, BackupPolicy policy, BackupStore store, PgTools tools, PgFacts facts,
            PgTarget target, String node, BackupMetrics metrics, Clock clock, BooleanSupplier lost, String runLabel) {
        this.config = config;
        this.policy = policy;
        this.store = store;
        this.tools = tools;
        this.facts = facts;
        this.target = target;
        this.node = node;
        this.metrics = metrics;
        this.clock = clock;
        this.lost = lost;
        this.runLabel = runLabel;
    }

    Outcome execute() {
        List<BackupManifest> made = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        String stamp = STAMP.format(clock.instant());
        PgFacts.Position start;
        String version;
        try {
            List<String> swept = store.sweepPartials();
            if (!swept.isEmpty()) {
                LOG.warnf("removed %d partial file(s) an interrupted run left: %s", swept.size(), swept);
            }
            start = facts.position(target);
            ToolRunner.Result v = tools.version();
            version = v.ok() ? v.stdout().strip() : "unknown (" + v.describe() + ")";
        } catch (IOException | SQLException e) {
            failures.add(new Failure("*", "error", "cannot start the run: " + e.getMessage()));
            return new Outcome(made, failures);
        }
        String role = start.inRecovery() ? "replica" : "primary";
        Step globals = new Step(stamp, "globals", "globals", "sql", start, role, version);
        globals.run(made, failures);
        for (String db : config.databases()) {
            new Step(stamp, db, "database", config.format(), start, role, version).run(made, failures);
        }
        return new Outcome(made, failures);
    }

    private final class Step {
        private final String database;
        private final String kind;
        private final String format;
        private final String id;
        private final PgFacts.Position start;
        private final String role;
        private final String version;

        Step(String stamp, String database, String kind, String format, PgFacts.Position start, String role,
                String version) {
            this.database = database;
            this.kind = kind;
            this.format = format;
            this.id = stamp + "-" + node.replaceAll("[^A-Za-z0-9._-]", "_") + "-"
                    + database.replaceAll("[^A-Za-z0-9._-]", "_");
            this.start = start;
            this.role = role;
            this.version = version;
        }

        void run(List<BackupManifest> made, List<Failure> failures) {
            Instant begin = clock.instant();
            String file = id + switch (format) {
                case "sql" -> ".sql";
                case "directory" -> ".dir";
                default -> ".dump";
            };
            Path partial = store.partial(file);
            try {
                Failure f = attempt(begin, file, partial, made);
                if (f != null) {
                    store.removeQuietly(partial);
                    failures.add(f);
                    metrics.dump(database, f.kind(), Duration.between(begin, clock.instant()), 0);
                }
            } catch (IOException | SQLException | RuntimeException e) {
                store.removeQuietly(partial);
                Failure f = new Failure(database, isNoSpace(e) ? "disk-full" : "error", e.toString());
                failures.add(f);
                metrics.dump(database, f.kind(), Duration.between(begin, clock.instant()), 0);
            }
        }

        private Failure attempt(Instant begin, String file, Path partial, List<BackupManifest> made)
                throws IOException, SQLException {
            long dbBytes = "globals".equals(kind) ? 0 : facts.databaseSize(target, database);
            BackupPolicy.SpaceDecision room = policy.space(database, store.usableSpace(), dbBytes, previous(),
                    config.minFreeBytes());
            LOG.debug(room.reason());
            if (!room.enough()) {
                return new Failure(database, "disk-full", room.reason());
            }
            Instant dumpStart = clock.instant();
            ToolRunner.Result dump = "globals".equals(kind) ? tools.dumpGlobals(target, partial)
                    : tools.dump(target, database, format, config.jobs(), partial);
            if (!dump.ok()) {
                boolean full = dump.stderrTail().contains("No space left on device");
                return new Failure(database, full ? "disk-full" : dump.timedOut() ? "timeout" : "exit",
                        dump.describe());
            }
            if (lost.getAsBoolean()) {
                return new Failure(database, "lease-lost", "the run lost its etcd claim during the dump");
            }
            Instant dumped = clock.instant();
            String sha = tools.sha256(partial).orElse(null);
            if (sha == null) {
                sha = BackupStore.sha256(partial);
            }
            Instant hashed = clock.instant();
            BackupManifest.Verification verified = verify(partial);
            Instant checked = clock.instant();
            if (!verified.ok()) {
                return new Failure(database, "verification", verified.detail());
            }
            long size = BackupStore.size(partial);
            store.commit(partial, file);
            Instant end = clock.instant();
            BackupManifest m = new BackupManifest(BackupManifest.VERSION, BackupManifest.WRITER, id, database, kind,
                    format, List.of(file), node, role, start.timeline(), start.lsn(), begin, end, size, dbBytes, sha,
                    version, verified, null, runLabel);
            try {
                store.writeManifest(m);
            } catch (IOException e) {
                store.removeQuietly(store.file(file));
                throw e;
            }
            made.add(m);
            metrics.dump(database, "ok", Duration.between(begin, end), size);
            LOG.infof("backup %s: %s of %s, %d bytes, sha256 %s, verified (%s) in %d ms (checks %d, dump %d, "
                    + "sha256 %d, verify %d, fsync+rename+manifest %d)", id, kind, database, size, sha.substring(0, 12),
                    verified.detail(), ms(begin, end), ms(begin, dumpStart), ms(dumpStart, dumped), ms(dumped, hashed),
                    ms(hashed, checked), ms(checked, end));
            return null;
        }

        private BackupManifest.Verification verify(Path partial) throws IOException {
            if ("sql".equals(format)) {
                long size = Files.size(partial);
                String tail = size == 0 ? "" : Files.readString(partial).strip();
                boolean ok = tail.endsWith("PostgreSQL database cluster dump complete\n--")
                        || tail.endsWith("PostgreSQL database cluster dump complete");
                return new BackupManifest.Verification(ok, "globals end marker", 0,
                        ok ? "ends with the dump-complete marker" : "no dump-complete marker: truncated?");
            }
            ToolRunner.Result list = tools.list(partial);
            if (!list.ok()) {
                return new BackupManifest.Verification(false, "pg_restore --list", 0, list.describe());
            }
            int entries = PgTools.countEntries(list.stdout());
            int data = PgTools.countEntries(list.stdout(), "TABLE DATA");
            return new BackupManifest.Verification(entries > 0, "pg_restore --list", entries,
                    entries + " entries, " + data + " with table data");
        }

        private Optional<BackupPolicy.PreviousDump> previous() throws IOException {
            return store.list().stream().filter(BackupStore.Listed::complete)
                    .flatMap(l -> l.parsed().manifest().stream())
                    .filter(m -> m.good() && database.equals(m.database()))
                    .max(Comparator.comparing(BackupManifest::endedAt))
                    .map(m -> new BackupPolicy.PreviousDump(m.sizeBytes(), m.databaseBytes()));
        }
    }

    private static long ms(Instant a, Instant b) {
        return Duration.between(a, b).toMillis();
    }

    private static boolean isNoSpace(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c.getMessage() != null && c.getMessage().contains("No space left on device")) {
                return true;
            }
        }
        return false;
    }
}
