package io.pgha.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Backups must connect as strictly as the health probe: the agent URL's TLS parameters travel along. */
class PgTargetTest {

    @Test
    void plainUrlHasNoParameters() {
        PgTarget t = PgTarget.fromJdbcUrl("jdbc:postgresql://10.0.0.1:5433/postgres", "postgres");
        assertEquals(new PgTarget("10.0.0.1", 5433, "postgres", ""), t);
        assertEquals("jdbc:postgresql://10.0.0.1:5433/app", t.jdbcUrl("app"));
        assertEquals(Map.of(), t.libpqEnv());
    }

    @Test
    void tlsParametersReachJdbcAndLibpq() {
        PgTarget t = PgTarget.fromJdbcUrl(
                "jdbc:postgresql://10.0.0.1:5432/postgres?sslmode=verify-full&sslrootcert=/etc/pgha/ca%20x.crt&connectTimeout=2",
                "postgres");
        assertEquals("jdbc:postgresql://10.0.0.1:5432/app?sslmode=verify-full&sslrootcert=/etc/pgha/ca%20x.crt&connectTimeout=2",
                t.jdbcUrl("app"));
        assertEquals(Map.of("PGSSLMODE", "verify-full", "PGSSLROOTCERT", "/etc/pgha/ca x.crt"), t.libpqEnv());
    }
}
