package io.pgha.agent.http;

import io.pgha.agent.json.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Writes a reply: JSON through {@link Json} (the same document Quarkus's ObjectMapper wrote, so bodies did
 * not change), or one line of text. A body that cannot be serialised becomes a 500 with the reason logged: the
 * caller never gets half a JSON document. HEAD gets the status and headers without the body.
 */
@Singleton
public class Replies {

    private static final Logger LOG = Logger.getLogger(Replies.class);

    private final Json json;

    public Replies(Json json) {
        this.json = json;
    }

    public void json(RoutingContext ctx, int status, Object body) {
        byte[] bytes;
        try {
            bytes = json.write(body);
        } catch (RuntimeException e) {
            LOG.errorf("%s %s: could not write the reply as JSON (%s)", ctx.request().method(), ctx.normalizedPath(),
                    e.getMessage());
            text(ctx, 500, "could not write the reply as JSON\n");
            return;
        }
        end(ctx, status, "application/json;charset=UTF-8", Buffer.buffer(bytes));
    }

    /** {@code {"error": message}}: what every refusal with a JSON body looks like. */
    public void error(RoutingContext ctx, int status, String message) {
        json(ctx, status, Map.of("error", message));
    }

    public void text(RoutingContext ctx, int status, String body) {
        end(ctx, status, "text/plain;charset=UTF-8", Buffer.buffer(body));
    }

    /** A status and one header with no body at all (a 401 says nothing about why). */
    public void empty(RoutingContext ctx, int status, String header, String value) {
        ctx.response().setStatusCode(status).putHeader(header, value).end();
    }

    private static void end(RoutingContext ctx, int status, String type, Buffer body) {
        HttpServerResponse r = ctx.response().setStatusCode(status).putHeader("Content-Type", type);
        if (ctx.request().method() == HttpMethod.HEAD) {
            r.putHeader("Content-Length", Integer.toString(body.length())).end();
        } else {
            r.end(body);
        }
    }
}
