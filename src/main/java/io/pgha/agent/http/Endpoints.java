package io.pgha.agent.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What a package registers its routes with: the few ways a route runs here, each in one place. The event loop
 * serves what is answered from memory; anything that reads files, waits on a lock or changes something runs on a
 * worker thread, unordered, so one slow caller holds up no other. A route that changes something passes the admin
 * gate first ({@link AdminGuard}).
 */
public final class Endpoints {

    private final Router router;
    private final Replies replies;
    private final AdminGuard admin;

    Endpoints(Router router, Replies replies, AdminGuard admin) {
        this.router = router;
        this.replies = replies;
        this.admin = admin;
    }

    /** {@code GET path}: 200 with the body as JSON, built from memory on the event loop. */
    public void json(String path, Supplier<?> body) {
        router.get(path).handler(ctx -> replies.json(ctx, 200, body.get()));
    }

    /** {@code GET path} answered from memory on the event loop, when the reply is not always a 200. */
    public void get(String path, Consumer<Exchange> handler) {
        router.get(path).handler(ctx -> handler.accept(new Exchange(ctx, replies)));
    }

    /** {@code GET} and {@code HEAD path}, on the event loop; HEAD gets the status and headers only. */
    public void getAndHead(String path, Consumer<Exchange> handler) {
        get(path, handler);
        router.head(path).handler(ctx -> handler.accept(new Exchange(ctx, replies)));
    }

    /** {@code GET path} on a worker thread: it reads files or waits on a lock. */
    public void blocking(String path, Consumer<Exchange> handler) {
        router.get(path).blockingHandler(ctx -> handler.accept(new Exchange(ctx, replies)), false);
    }

    /** A route that changes something: the admin gate, then the handler, both on a worker thread. */
    public void admin(HttpMethod method, String path, Consumer<Exchange> handler) {
        router.route(method, path).blockingHandler(admin::check, false)
                .blockingHandler(ctx -> handler.accept(new Exchange(ctx, replies)), false);
    }
}
