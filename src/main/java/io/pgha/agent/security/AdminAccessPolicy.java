package io.pgha.agent.security;

import java.util.Optional;

/**
 * Pure: may this request use an admin endpoint? Fails closed: no configured token refuses everything (403),
 * anything but {@code Bearer <the token>} is a 401.
 */
public final class AdminAccessPolicy {

    static final String SCHEME = "Bearer ";

    private final boolean requireTls;

    /** @param requireTls refuse requests that did not come over HTTPS (pgha.admin.require-tls) */
    public AdminAccessPolicy(boolean requireTls) {
        this.requireTls = requireTls;
    }

    /** @param secure the request arrived over HTTPS */
    public AdminAccess decide(Optional<AdminToken> configured, String authorizationHeader, boolean secure) {
        if (requireTls && !secure) {
            // Checked first: the token a client sent in clear is already exposed, whatever we answer.
            return new AdminAccess(403, "admin endpoints need HTTPS: pgha.admin.require-tls [PGHA_ADMIN_REQUIRE_TLS] is set");
        }
        if (configured.isEmpty()) {
            return new AdminAccess(403,
                    "admin endpoints are disabled: set pgha.admin.token-file [PGHA_ADMIN_TOKEN_FILE]");
        }
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            return new AdminAccess(401, "no Authorization header");
        }
        // The scheme is case-insensitive (RFC 9110 section 11.1); the token itself is not.
        if (authorizationHeader.length() < SCHEME.length()
                || !authorizationHeader.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return new AdminAccess(401, "Authorization header is not a Bearer token");
        }
        String presented = authorizationHeader.substring(SCHEME.length()).strip();
        if (!configured.get().matches(presented)) {
            return new AdminAccess(401, "wrong admin token");
        }
        return new AdminAccess(AdminAccess.ALLOWED, "admin token accepted");
    }
}
