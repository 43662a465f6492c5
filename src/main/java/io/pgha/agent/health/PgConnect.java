package io.pgha.agent.health;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens PostgreSQL connections through pgjdbc's Driver directly, not DriverManager: DriverManager only
 * hands out drivers registered by the caller's class loader and discovers them once per JVM through
 * ServiceLoader (a unit-test run got "no driver" errors in a JVM where Quarkus applications had loaded
 * the driver in their own class loaders), and it needs extra registration in a native image. Calling the
 * driver needs neither.
 */
public final class PgConnect {

    private static final org.postgresql.Driver DRIVER = new org.postgresql.Driver();

    private PgConnect() {
    }

    public static Connection open(String url, Properties props) throws SQLException {
        Connection c = DRIVER.connect(url, props);
        if (c == null) {
            throw new SQLException("not a jdbc:postgresql: URL: " + url);
        }
        return c;
    }
}
