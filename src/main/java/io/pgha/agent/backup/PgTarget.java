package io.pgha.agent.backup;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the PostgreSQL tools connect: host, port, user, and the connection parameters of the agent's own
 * JDBC URL (sslmode, sslrootcert, ...), so a backup or drill connects as strictly as the health probe does.
 * The password travels separately, in the environment.
 */
public record PgTarget(String host, int port, String user, String params) {

    /** JDBC URL parameters that libpq (pg_dump, pg_restore) reads from these environment variables. */
    private static final Map<String, String> LIBPQ_ENV = Map.of("sslmode", "PGSSLMODE", "sslrootcert", "PGSSLROOTCERT",
            "sslcert", "PGSSLCERT", "sslkey", "PGSSLKEY", "sslcrl", "PGSSLCRL");

    public PgTarget(String host, int port, String user) {
        this(host, port, user, "");
    }

    /** From the agent's {@code jdbc:postgresql://host:port/db?params} URL (the server the health loop probes). */
    public static PgTarget fromJdbcUrl(String jdbcUrl, String user) {
        URI u = URI.create(jdbcUrl.substring("jdbc:".length()));
        return new PgTarget(Optional.ofNullable(u.getHost()).orElse("127.0.0.1"), u.getPort() > 0 ? u.getPort() : 5432,
                user, Optional.ofNullable(u.getRawQuery()).orElse(""));
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + (params.isEmpty() ? "" : "?" + params);
    }

    /** The TLS parameters as libpq environment variables (PGSSLMODE=verify-full, ...); others are JDBC-only. */
    public Map<String, String> libpqEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String pair : params.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && LIBPQ_ENV.containsKey(pair.substring(0, eq))) {
                env.put(LIBPQ_ENV.get(pair.substring(0, eq)),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return env;
    }
}
