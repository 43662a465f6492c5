package io.pgha.agent.security;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

/**
 * Runs before every {@link AdminOnly} method and applies {@link AdminAccessPolicy}. A 401 has an empty body (a
 * caller learns nothing about why); a 403 says in one line that admin endpoints are disabled, because that is
 * the operator's configuration, not a secret. The log line names the reason, never the header's value.
 */
@Provider
@AdminOnly
@Priority(Priorities.AUTHENTICATION)
public class AdminTokenFilter implements ContainerRequestFilter {

    private static final Logger LOG = Logger.getLogger(AdminTokenFilter.class);

    private final AdminTokenSource tokens;

    public AdminTokenFilter(AdminTokenSource tokens) {
        this.tokens = tokens;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        AdminAccess access = tokens.policy().decide(tokens.current(), request.getHeaderString(HttpHeaders.AUTHORIZATION),
                request.getSecurityContext().isSecure());
        String what = request.getMethod() + " /" + request.getUriInfo().getPath().replaceFirst("^/", "");
        if (access.allowed()) {
            LOG.debugf("%s: %s", what, access.reason());
            return;
        }
        LOG.infof("%s refused with %d: %s", what, access.status(), access.reason());
        if (access.status() == 401) {
            request.abortWith(Response.status(401).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build());
        } else {
            request.abortWith(Response.status(access.status()).type(MediaType.TEXT_PLAIN)
                    .entity(access.reason() + "\n").build());
        }
    }
}
