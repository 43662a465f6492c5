package io.pgha.agent.patroni;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The agent's one HTTP client for Patroni's REST API, on the application's Vert.x. Every exchange (connect,
 * request, whole body) is bounded by its timeout, after which the connection is reset; a body over 1 MiB is
 * refused rather than buffered, so a broken peer cannot grow the heap.
 *
 * <p>Not java.net.http: for a GET a second it loaded the JDK's HTTP/2 client, its TLS stack and the default
 * trust store (about 750 classes, 144 parsed CA certificates, a selector thread per client); Vert.x's client
 * is already loaded for the agent's HTTP server (see docs/benchmarks.md for what that saved).
 */
public final class PatroniHttp {

    /** Status and body of an answer. */
    public record Response(int status, String body) { }

    static final int MAX_BODY = 1 << 20;

    private static final Logger LOG = Logger.getLogger(PatroniHttp.class);

    private final Vertx vertx;
    private final HttpClient client;
    private final String base;
    /**
     * What a request's wait for its connection adds to the exchange bound: the TCP connect bound plus a second,
     * so that the wait always outlasts the connect (see {@link #exchange}).
     */
    private final long connectWaitSurplusMillis;

    /** A connect bound of one second, for callers without a probe timeout of their own (tests). */
    public PatroniHttp(Vertx vertx, String baseUrl, PatroniTls tls) {
        this(vertx, baseUrl, tls, Duration.ofSeconds(1));
    }

    /** @param connectTimeout bound on each TCP connect: the shortest exchange bound any caller uses */
    public PatroniHttp(Vertx vertx, String baseUrl, PatroniTls tls, Duration connectTimeout) {
        this.vertx = vertx;
        this.base = baseUrl.trim().replaceAll("/+$", "");
        this.connectWaitSurplusMillis = Math.max(1, connectTimeout.toMillis()) + 1000;
        // A pooled connection Patroni resets (it restarted, or was killed in a failover) has no request to tell;
        // without a handler Vert.x logs that as an ERROR. The next exchange opens a new one and reports its own.
        this.client = vertx.httpClientBuilder().with(tls.options(connectTimeout))
                .withConnectHandler(conn -> conn.exceptionHandler(e -> LOG.debugf("connection to %s: %s", base, e)))
                .build();
    }

    /** {@code base + path}, for messages. */
    public String url(String path) {
        return base + path;
    }

    /**
     * One exchange. Fails with a {@link TimeoutException} when the whole exchange outlasts {@code timeout}, a
     * {@link java.net.ConnectException} when nothing listens, or an IOException naming what was wrong.
     */
    public CompletableFuture<Response> exchange(HttpMethod method, String path, String body, Duration timeout) {
        long millis = Math.max(1, timeout.toMillis());
        CompletableFuture<Response> out = new CompletableFuture<>();
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        long timer = vertx.setTimer(millis, id -> {
            if (out.completeExceptionally(new TimeoutException("no answer from " + url(path) + " within " + millis + " ms"))) {
                reset(sent.get());
            }
        });
        out.whenComplete((r, e) -> vertx.cancelTimer(timer));
        RequestOptions options;
        try {
            // The wait for a connection outlasts the TCP connect on purpose. Were it the shorter, a connect that
            // lands just after its request gave up would go to the pool with no request to carry (held open and
            // silent until the idle timeout, a Patroni REST worker with it); waiting longer, every connection
            // reaches its request's callback below, which closes it when the exchange is over already. The
            // caller's bound is the timer above either way.
            options = new RequestOptions().setMethod(method).setAbsoluteURI(url(path))
                    .setConnectTimeout(millis + connectWaitSurplusMillis).setIdleTimeout(millis);
        } catch (RuntimeException e) {
            // A URL Vert.x cannot parse fails this exchange, like any other failure, instead of the caller.
            out.completeExceptionally(new IOException("bad Patroni URL " + url(path) + ": " + describe(e), e));
            return out;
        }
        if (body != null) {
            options.putHeader("Content-Type", "application/json");
        }
        client.request(options).onFailure(out::completeExceptionally).onSuccess(request -> {
            // Before any reset: a request without a handler reports its own reset as an ERROR in the log, and
            // cutting a request at the bound is routine (Patroni starting up), already told by the outcome.
            request.exceptionHandler(out::completeExceptionally);
            sent.set(request);
            if (out.isDone()) {
                // Cut before it had a connection: an unsent request's reset hands the connection back open, and
                // Patroni would wait on it for a request line that never comes. Close it.
                reset(request);
                request.connection().close();
                return;
            }
            request.response().onFailure(out::completeExceptionally).onSuccess(response -> read(response, request, out));
            (body == null ? request.end() : request.end(body)).onFailure(out::completeExceptionally);
        });
        return out;
    }

    /**
     * The same exchange for a caller on its own thread (reinit, backups). Never on an event loop, which it would
     * block; the outer bound only matters if Vert.x itself has stopped.
     */
    public Response await(HttpMethod method, String path, String body, Duration timeout) throws IOException {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("blocking Patroni call on an event loop: " + url(path));
        }
        try {
            return exchange(method, path, body, timeout).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted asking " + url(path), e);
        } catch (TimeoutException e) {
            throw new IOException("no answer from " + url(path), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException(describe(cause), cause);
        }
    }

    /** A failure in one short phrase: the exception's message, or its type when it has none. */
    public static String describe(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    private static void read(HttpClientResponse response, HttpClientRequest request, CompletableFuture<Response> out) {
        Buffer body = Buffer.buffer();
        response.handler(chunk -> {
            if (body.length() + chunk.length() > MAX_BODY) {
                if (out.completeExceptionally(new IOException("answer over " + MAX_BODY + " bytes"))) {
                    reset(request);
                }
            } else {
                body.appendBuffer(chunk);
            }
        });
        response.exceptionHandler(out::completeExceptionally);
        response.endHandler(v -> out.complete(new Response(response.statusCode(), body.toString(StandardCharsets.UTF_8))));
    }

    private static void reset(HttpClientRequest request) {
        if (request != null) {
            request.reset();
        }
    }
}
