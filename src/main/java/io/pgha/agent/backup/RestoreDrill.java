package io.pgha.agent.backup;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Restores one backup into a scratch database {@code pgha_drill_<id>} on the primary, counts its tables and
 * rows, compares the table count with the archive's table-data entries, and drops the database again whatever
 * happened. The result is returned for the caller to record in the manifest; nothing is decided here beyond
 * "did every step succeed and do the counts match".
 */
final class RestoreDrill {

    private static final Logger LOG = Logger.getLogger(RestoreDrill.class);

    private final BackupStore store;
    private final PgTools tools;
    private final PgFacts facts;
    private final Clock clock;
    private final int jobs;

    RestoreDrill(BackupStore store, PgTools tools, PgFacts facts, Clock clock, int jobs) {
        this.store = store;
        this.tools = tools;
        this.facts = facts;
        this.clock = clock;
        this.jobs = jobs;
    }

    static String scratchName(String id) {
        String name = "pgha_drill_" + id.toLowerCase().replaceAll("[^a-z0-9_]", "_");
        return name.length() > 63 ? name.substring(0, 63) : name;
    }

    BackupManifest.Drill run(BackupManifest m, PgTarget primary) {
        Instant start = clock.instant();
        String db = scratchName(m.id());
        try {
            ToolRunner.Result list = tools.list(store.file(m.files().get(0)));
            if (!list.ok()) {
                return result(start, false, db, 0, 0, "archive unreadable: " + list.describe());
            }
            int expected = PgTools.countEntries(list.stdout(), "TABLE DATA");
            facts.dropDatabase(primary, db);
            facts.createDatabase(primary, db);
            ToolRunner.Result restore = tools.restore(primary, db, store.file(m.files().get(0)), jobs);
            if (!restore.ok()) {
                return result(start, false, db, 0, 0, "restore failed: " + restore.describe());
            }
            PgFacts.Counts counts = facts.counts(primary, db);
            boolean ok = counts.tables() == expected;
            return result(start, ok, db, counts.tables(), counts.rows(), ok
                    ? "restored " + counts.tables() + " tables, " + counts.rows() + " rows on " + primary.host()
                    : "restored " + counts.tables() + " tables but the archive holds data for " + expected);
        } catch (IOException | SQLException | RuntimeException e) {
            return result(start, false, db, 0, 0, "drill failed: " + e);
        } finally {
            try {
                facts.dropDatabase(primary, db);
            } catch (SQLException e) {
                LOG.errorf("restore drill: cannot drop scratch database %s on %s: %s", db, primary.host(),
                        e.getMessage());
            }
        }
    }

    private BackupManifest.Drill result(Instant start, boolean ok, String db, int tables, long rows, String detail) {
        return new BackupManifest.Drill(start, ok, db, tables, rows, Duration.between(start, clock.instant()).toMillis(),
                detail);
    }
}
