package io.pgha.agent.backup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * The few SQL facts a backup needs (database size, timeline and LSN at the start, a restored database's
 * table and row counts), each over its own short connection with connect and socket timeouts.
 */
public final class PgFacts {

    /** Where the dump starts: {@code lsn} is the replay LSN on a replica, the insert LSN on a primary. */
    public record Position(boolean inRecovery, Long timeline, String lsn) {
    }

    public record Counts(int tables, long rows) {
    }

    private final String user;
    private final Supplier<Optional<String>> password;
    private final Duration connectTimeout;
    private final Duration queryTimeout;

    /**
     * @param queryTimeout bounds each statement; row counts of a restored database are full scans, so the
     *                     caller passes the tool timeout here for drills and seconds for the rest
     */
    public PgFacts(String user, Supplier<Optional<String>> password, Duration connectTimeout, Duration queryTimeout) {
        this.user = user;
        this.password = password;
        this.connectTimeout = connectTimeout;
        this.queryTimeout = queryTimeout;
    }

    public PgFacts withQueryTimeout(Duration t) {
        return new PgFacts(user, password, connectTimeout, t);
    }

    private Connection open(PgTarget t, String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", t.user());
        password.get().ifPresent(pw -> p.setProperty("password", pw));
        p.setProperty("connectTimeout", Long.toString(Math.max(1, connectTimeout.toSeconds())));
        // socketTimeout a little above the statement timeout so the server's cancel wins and says why.
        p.setProperty("socketTimeout", Long.toString(queryTimeout.toSeconds() + 5));
        p.setProperty("ApplicationName", "pgha-backup");
        Connection c = io.pgha.agent.health.PgConnect.open(t.jdbcUrl(database), p);
        try (Statement s = c.createStatement()) {
            s.execute("SET statement_timeout = " + queryTimeout.toMillis());
        }
        return c;
    }

    public long databaseSize(PgTarget t, String database) throws SQLException {
        try (Connection c = open(t, "postgres");
             PreparedStatement s = c.prepareStatement("SELECT pg_database_size(?)")) {
            s.setString(1, database);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public Position position(PgTarget t) throws SQLException {
        try (Connection c = open(t, "postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT pg_is_in_recovery(),
                            CASE WHEN pg_is_in_recovery()
                                 THEN (SELECT received_tli FROM pg_stat_wal_receiver LIMIT 1)
                                 ELSE (SELECT timeline_id FROM pg_control_checkpoint()) END,
                            CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
                                 ELSE pg_current_wal_insert_lsn() END::text""")) {
            rs.next();
            long tli = rs.getLong(2);
            return new Position(rs.getBoolean(1), rs.wasNull() ? null : tli, rs.getString(3));
        }
    }

    public void createDatabase(PgTarget t, String database) throws SQLException {
        try (Connection c = open(t, "postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + quote(database));
        }
    }

    public void dropDatabase(PgTarget t, String database) throws SQLException {
        try (Connection c = open(t, "postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + quote(database) + " WITH (FORCE)");
        }
    }

    /** Ordinary tables outside the system schemas, and the sum of their exact row counts. */
    public Counts counts(PgTarget t, String database) throws SQLException {
        try (Connection c = open(t, database); Statement s = c.createStatement()) {
            java.util.List<String> tables = new java.util.ArrayList<>();
            try (ResultSet rs = s.executeQuery("""
                    SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c
                    JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                      AND n.nspname NOT LIKE 'pg_toast%'""")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            long rows = 0;
            for (String table : tables) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    rows += rs.getLong(1);
                }
            }
            return new Counts(tables.size(), rows);
        }
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
