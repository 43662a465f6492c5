package io.pgha.agent.security;

import io.pgha.agent.http.AdminGuard;
import io.pgha.agent.http.Replies;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Stands in front of every admin route and applies {@link AdminAccessPolicy}. A 401 has an empty body (a caller
 * learns nothing about why); a 403 says in one line that admin endpoints are disabled, because that is the
 * operator's configuration, not a secret. The log line names the reason, never the header's value. Routes use
 * it as a blocking handler: the token may live in a file that is re-read when it changes.
 */
@Singleton
public class AdminGate implements AdminGuard {

    private static final Logger LOG = Logger.getLogger(AdminGate.class);

    private final AdminTokenSource tokens;
    private final Replies replies;

    public AdminGate(AdminTokenSource tokens, Replies replies) {
        this.tokens = tokens;
        this.replies = replies;
    }

    /** Passes the request on to the route's next handler, or answers 401/403 itself. */
    @Override
    public void check(RoutingContext ctx) {
        AdminAccess access = tokens.policy().decide(tokens.current(), ctx.request().getHeader("Authorization"),
                ctx.request().isSSL());
        String what = ctx.request().method() + " " + ctx.normalizedPath();
        if (access.allowed()) {
            LOG.debugf("%s: %s", what, access.reason());
            ctx.next();
            return;
        }
        LOG.infof("%s refused with %d: %s", what, access.status(), access.reason());
        if (access.status() == 401) {
            replies.empty(ctx, 401, "WWW-Authenticate", "Bearer");
        } else {
            replies.text(ctx, access.status(), access.reason() + "\n");
        }
    }
}
