package io.pgha.agent.security;

import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code pgha.admin.*}: the bearer token for endpoints that change something. Env names PGHA_ADMIN_TOKEN and
 * PGHA_ADMIN_TOKEN_FILE. Neither set means admin endpoints are disabled (403), not open.
 */
public interface AdminConfig {

    /** The token inline (env). Prefer the file: env values show up in /proc/PID/environ to the same user. */
    Optional<String> token();

    /**
     * Wins over {@link #token()}. Trailing whitespace (the newline editors add) is stripped. Re-read when the
     * file's modification time or size changes, so rotating the token needs no restart.
     */
    Optional<Path> tokenFile();

    /**
     * Refuse admin requests that did not arrive over HTTPS (403), so the token never crosses the network in
     * clear. Needs TLS on the agent's HTTP server (QUARKUS_TLS_KEY_STORE_P12_PATH / _PASSWORD).
     */
    @WithDefault("false")
    boolean requireTls();
}
