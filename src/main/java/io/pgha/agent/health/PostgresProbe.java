package io.pgha.agent.health;

import io.pgha.agent.node.Outcome;
import io.pgha.agent.node.PostgresStatus;
import io.pgha.agent.node.ProbeResult;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One cheap query per cycle over a JDBC connection kept across cycles (a new backend per second would show up
 * in pg_stat_activity and cost a fork each time); any error drops the connection so the next cycle reconnects.
 *
 * <p>pgjdbc's timeouts are whole seconds (1 s here), longer than the probe budget, so the query runs on its own
 * thread and the caller waits at most {@code timeout}; on expiry the connection is aborted, which closes the
 * socket and frees the thread. If a connect is still hanging at the next cycle, that cycle reports TIMEOUT
 * instead of stacking a second attempt.
 */
public final class PostgresProbe implements AutoCloseable {

    // Idle-careful lag: when everything received is replayed, the lag is 0 whatever the age of the last
    // transaction, or an idle cluster would look like a replica falling further behind every second.
    static final String QUERY = """
            SELECT pg_is_in_recovery(),
                   CASE WHEN has_function_privilege('pg_control_checkpoint()', 'execute')
                        THEN (SELECT timeline_id FROM pg_control_checkpoint()) END,
                   pg_last_wal_receive_lsn()::text,
                   pg_last_wal_replay_lsn()::text,
                   CASE WHEN pg_is_in_recovery()
                        THEN pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::bigint
                        ELSE 0 END,
                   CASE WHEN NOT pg_is_in_recovery() THEN 0
                        WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                        ELSE (EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) * 1000)::bigint END,
                   (SELECT status FROM pg_stat_wal_receiver LIMIT 1),
                   current_setting('max_connections')::int
                     - (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')::int
            """;

    private final String url;
    private final String user;
    private final Optional<String> password;
    private final Optional<Path> passwordFile;
    private final Duration timeout;
    private final Clock clock;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "pgha-postgres-probe");
        t.setDaemon(true);
        return t;
    });
    private volatile Connection connection;
    private volatile Future<PostgresStatus> running;

    public PostgresProbe(String url, String user, Optional<String> password, Optional<Path> passwordFile,
            Duration timeout, Clock clock) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.passwordFile = passwordFile;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** Blocks at most {@code timeout}; never throws. */
    public PostgresStatus probe() {
        Instant start = clock.instant();
        Future<PostgresStatus> previous = running;
        if (previous != null && !previous.isDone()) {
            return PostgresStatus.unreachable(ProbeResult.failed(Outcome.TIMEOUT,
                    "previous probe still running", timeout));
        }
        Future<PostgresStatus> task = worker.submit(() -> query(start));
        running = task;
        try {
            return task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            abort();
            return PostgresStatus.unreachable(ProbeResult.failed(Outcome.TIMEOUT, "no answer", took(start)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return PostgresStatus.unreachable(ProbeResult.failed(Outcome.ERROR, "interrupted", took(start)));
        } catch (Exception e) {
            return PostgresStatus.unreachable(ProbeResult.failed(Outcome.ERROR, e.toString(), took(start)));
        }
    }

    private PostgresStatus query(Instant start) {
        try {
            Connection c = connection();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(QUERY)) {
                rs.next();
                long lagMillis = rs.getLong(6);
                boolean lagKnown = !rs.wasNull();
                return new PostgresStatus(ProbeResult.ok(took(start)),
                        rs.getBoolean(1),
                        nullableLong(rs, 2),
                        rs.getString(3),
                        rs.getString(4),
                        nullableLong(rs, 5),
                        lagKnown ? Duration.ofMillis(Math.max(0, lagMillis)) : null,
                        rs.getString(7),
                        rs.getInt(8));
            }
        } catch (SQLException | IOException e) {
            closeQuietly();
            return PostgresStatus.unreachable(classify(e, took(start)));
        }
    }

    static ProbeResult classify(Exception e, Duration took) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ConnectException) {
                return ProbeResult.failed(Outcome.REFUSED, String.valueOf(c.getMessage()), took);
            }
            if (c instanceof java.net.SocketTimeoutException) {
                return ProbeResult.failed(Outcome.TIMEOUT, String.valueOf(c.getMessage()), took);
            }
        }
        return ProbeResult.failed(Outcome.ERROR, String.valueOf(e.getMessage()), took);
    }

    private Connection connection() throws SQLException, IOException {
        Connection c = connection;
        if (c != null) {
            return c;
        }
        Properties p = new Properties();
        p.setProperty("user", user);
        Optional<String> secret = passwordFile.isPresent()
                ? Optional.of(Files.readString(passwordFile.get(), StandardCharsets.UTF_8).strip())
                : password;
        secret.ifPresent(s -> p.setProperty("password", s));
        // Whole seconds are pgjdbc's resolution; the outer bound in probe() is the one that counts.
        p.setProperty("connectTimeout", "1");
        p.setProperty("loginTimeout", "1");
        p.setProperty("socketTimeout", "1");
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("ApplicationName", "pgha-agent");
        c = PgConnect.open(url, p);
        c.setAutoCommit(true);
        connection = c;
        return c;
    }

    private void abort() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.abort(Runnable::run);
            } catch (SQLException | RuntimeException ignored) {
                // Already broken; the worker thread gets an I/O error and finishes.
            }
        }
    }

    private void closeQuietly() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // The connection is being dropped because it failed; nothing more to do.
            }
        }
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private Duration took(Instant start) {
        return Duration.between(start, clock.instant());
    }

    @Override
    public void close() {
        abort();
        worker.shutdownNow();
    }
}
