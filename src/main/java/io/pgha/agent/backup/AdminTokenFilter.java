package io.pgha.agent.backup;

import io.pgha.agent.config.AgentConfig;
import jakarta.inject.Provider;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/**
 * Guards {@link AdminOnly} endpoints. Fails closed: no token configured means every admin request is refused
 * (403), a wrong or missing token gets 401. The token file is read per request so a rotated token applies at
 * once; the comparison is constant-time. The token is never logged.
 */
@jakarta.ws.rs.ext.Provider
@AdminOnly
public class AdminTokenFilter implements ContainerRequestFilter {

    // A Provider: filters are built while the REST layer deploys, before the runtime config mapping exists.
    private final Provider<AgentConfig> config;

    public AdminTokenFilter(Provider<AgentConfig> config) {
        this.config = config;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Optional<String> token = token();
        if (token.isEmpty()) {
            request.abortWith(deny(403, "no admin token configured (pgha.backup.admin-token-file "
                    + "[PGHA_BACKUP_ADMIN_TOKEN_FILE]); admin endpoints are off"));
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String given = header != null && header.startsWith("Bearer ") ? header.substring(7).strip() : "";
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                token.get().getBytes(StandardCharsets.UTF_8))) {
            request.abortWith(deny(401, "admin token required: Authorization: Bearer <token>"));
        }
    }

    private Optional<String> token() {
        return config.get().backup().adminTokenFile().flatMap(f -> {
            try {
                String t = Files.readString(f, StandardCharsets.UTF_8).strip();
                return t.isEmpty() ? Optional.empty() : Optional.of(t);
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }

    private static Response deny(int status, String why) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", why)).build();
    }
}
