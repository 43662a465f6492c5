package io.pgha.agent.backup;

import java.net.URI;
import java.util.Optional;

/** Where the PostgreSQL tools connect: host, port, user. The password travels separately, in the environment. */
public record PgTarget(String host, int port, String user) {

    /** From the agent's {@code jdbc:postgresql://host:port/db} URL (the same server the health loop probes). */
    public static PgTarget fromJdbcUrl(String jdbcUrl, String user) {
        URI u = URI.create(jdbcUrl.substring("jdbc:".length()));
        return new PgTarget(Optional.ofNullable(u.getHost()).orElse("127.0.0.1"), u.getPort() > 0 ? u.getPort() : 5432,
                user);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }
}
