package io.pgha.agent.http;

import io.vertx.ext.web.RoutingContext;

/** One request and its reply, as a route's handler gets them: the replies are written by {@link Replies}. */
public record Exchange(RoutingContext ctx, Replies replies) {

    public void json(int status, Object body) {
        replies.json(ctx, status, body);
    }

    /** {@code {"error": message}}. */
    public void error(int status, String message) {
        replies.error(ctx, status, message);
    }

    public void text(int status, String body) {
        replies.text(ctx, status, body);
    }

    /** A query parameter, null when absent. */
    public String param(String name) {
        return ctx.request().getParam(name);
    }

    public String pathParam(String name) {
        return ctx.pathParam(name);
    }
}
