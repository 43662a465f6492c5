package io.pgha.agent.patroni;

import io.netty.channel.ConnectTimeoutException;
import io.pgha.agent.json.Json;
import io.pgha.agent.node.Outcome;
import io.pgha.agent.node.PatroniStatus;
import io.pgha.agent.node.ProbeResult;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

/**
 * {@code GET <patroni>/patroni} for the health loop. The whole exchange (connect, request, body) is bounded by
 * {@code timeout} (PatroniHttp); a timeout is reported as TIMEOUT, a refused connect as REFUSED, so a hung
 * Patroni reads differently from a stopped one.
 */
public final class PatroniRestClient implements PatroniApi {

    private static final String PATH = "/patroni";

    private final PatroniHttp http;
    private final Duration timeout;
    private final Json json;
    private final Clock clock;

    public PatroniRestClient(PatroniHttp http, Duration timeout, Json json, Clock clock) {
        this.http = http;
        this.timeout = timeout;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public CompletionStage<PatroniStatus> fetch() {
        Instant start = clock.instant();
        return http.exchange(HttpMethod.GET, PATH, null, timeout).handle((response, error) -> toStatus(response, error, start));
    }

    private PatroniStatus toStatus(PatroniHttp.Response response, Throwable error, Instant start) {
        Duration took = took(start);
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            return PatroniStatus.unreachable(classify(cause, took));
        }
        // Patroni answers GET /patroni with 200 on healthy nodes and 503 when PostgreSQL is down, with the same
        // JSON body; both carry the state we need.
        if (response.status() != 200 && response.status() != 503) {
            return PatroniStatus.unreachable(
                    ProbeResult.failed(Outcome.ERROR, "HTTP " + response.status() + " from " + http.url(PATH), took));
        }
        try {
            return PatroniJson.parse(json, response.body(), ProbeResult.ok(took));
        } catch (IOException e) {
            return PatroniStatus.unreachable(
                    ProbeResult.failed(Outcome.ERROR, "unreadable body: " + e.getMessage(), took));
        }
    }

    static ProbeResult classify(Throwable cause, Duration took) {
        // Netty's connect timeout is a ConnectException too: a SYN nobody answers is a hang, not a refusal.
        if (cause instanceof TimeoutException || cause instanceof ConnectTimeoutException) {
            return ProbeResult.failed(Outcome.TIMEOUT, PatroniHttp.describe(cause), took);
        }
        if (cause instanceof ConnectException) {
            return ProbeResult.failed(Outcome.REFUSED, "connection refused", took);
        }
        return ProbeResult.failed(Outcome.ERROR, cause.getClass().getSimpleName() + ": " + cause.getMessage(), took);
    }

    private Duration took(Instant start) {
        return Duration.between(start, clock.instant());
    }
}
