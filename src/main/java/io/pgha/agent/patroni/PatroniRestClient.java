package io.pgha.agent.patroni;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.agent.node.Outcome;
import io.pgha.agent.node.PatroniStatus;
import io.pgha.agent.node.ProbeResult;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET <patroni>/patroni} with java.net.http. The whole exchange (connect, request, body) is bounded by
 * {@code timeout} with an outer completeOnTimeout, because HttpClient's own request timeout does not cover a
 * slow connect on every JDK. A timeout is reported as TIMEOUT, a refused connect as REFUSED.
 */
public final class PatroniRestClient implements PatroniApi {

    private final HttpClient http;
    private final URI uri;
    private final Duration timeout;
    private final ObjectMapper json;
    private final Clock clock;

    public PatroniRestClient(String baseUrl, Duration timeout, ObjectMapper json, Clock clock) {
        this(baseUrl, timeout, json, clock, PatroniTls.DEFAULT);
    }

    public PatroniRestClient(String baseUrl, Duration timeout, ObjectMapper json, Clock clock, PatroniTls tls) {
        this.uri = URI.create(baseUrl.replaceAll("/+$", "") + "/patroni");
        this.timeout = timeout;
        this.json = json;
        this.clock = clock;
        this.http = tls.client(timeout);
    }

    @Override
    public CompletionStage<PatroniStatus> fetch() {
        Instant start = clock.instant();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        CompletableFuture<HttpResponse<String>> call = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        return call.handle((response, error) -> toStatus(response, error, start))
                .completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(status -> {
                    if (status != null) {
                        return status;
                    }
                    call.cancel(true);
                    return PatroniStatus.unreachable(
                            ProbeResult.failed(Outcome.TIMEOUT, "no answer from " + uri, took(start)));
                });
    }

    private PatroniStatus toStatus(HttpResponse<String> response, Throwable error, Instant start) {
        Duration took = took(start);
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            return PatroniStatus.unreachable(classify(cause, took));
        }
        // Patroni answers GET /patroni with 200 on healthy nodes and 503 when PostgreSQL is down, with the same
        // JSON body; both carry the state we need.
        if (response.statusCode() != 200 && response.statusCode() != 503) {
            return PatroniStatus.unreachable(
                    ProbeResult.failed(Outcome.ERROR, "HTTP " + response.statusCode() + " from " + uri, took));
        }
        try {
            return PatroniJson.parse(json, response.body(), ProbeResult.ok(took));
        } catch (IOException e) {
            return PatroniStatus.unreachable(
                    ProbeResult.failed(Outcome.ERROR, "unreadable body: " + e.getMessage(), took));
        }
    }

    static ProbeResult classify(Throwable cause, Duration took) {
        if (cause instanceof HttpTimeoutException) {
            return ProbeResult.failed(Outcome.TIMEOUT, cause.getMessage(), took);
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
