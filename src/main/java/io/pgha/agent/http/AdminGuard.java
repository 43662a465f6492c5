package io.pgha.agent.http;

import io.vertx.ext.web.RoutingContext;

/**
 * What stands in front of every route that changes something: the admin token check (package security's
 * AdminGate). It passes the request on with {@code ctx.next()} or answers it itself. An interface here so that
 * this package needs nothing from security, which uses {@link Replies}.
 */
public interface AdminGuard {

    void check(RoutingContext ctx);
}
