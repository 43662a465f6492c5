package io.pgha.agent.patroni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Patroni's cluster-wide view ({@code GET /cluster}) and its reinitialise action, for the reinit
 * feature. Blocking calls with a request timeout; callers run them on their own thread.
 */
public final class PatroniCluster {

    /** A member as {@code GET /cluster} lists it; lag in bytes when Patroni knows it. */
    public record Member(String name, String role, String state, Long timeline, Long lagBytes) { }

    private final URI base;
    private final Duration timeout;
    private final ObjectMapper json;
    private final HttpClient http;

    public PatroniCluster(String baseUrl, Duration timeout, ObjectMapper json) {
        this(baseUrl, timeout, json, PatroniTls.DEFAULT);
    }

    public PatroniCluster(String baseUrl, Duration timeout, ObjectMapper json, PatroniTls tls) {
        this.base = URI.create(baseUrl.trim().replaceAll("/+$", "") + "/");
        this.timeout = timeout;
        this.json = json;
        this.http = tls.client(timeout);
    }

    public List<Member> members() throws IOException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("cluster")).timeout(timeout).GET().build());
        if (r.statusCode() != 200) {
            throw new IOException("GET /cluster answered " + r.statusCode());
        }
        List<Member> out = new ArrayList<>();
        for (JsonNode m : json.readTree(r.body()).path("members")) {
            JsonNode lag = m.path("lag");
            out.add(new Member(m.path("name").asText(), m.path("role").asText(null), m.path("state").asText(null),
                    m.hasNonNull("timeline") ? m.path("timeline").asLong() : null,
                    lag.isNumber() ? lag.asLong() : null));
        }
        return out;
    }

    /**
     * Asks Patroni to wipe this replica and clone it again. Patroni answers 200 when it started;
     * anything else is returned as an IOException carrying Patroni's own words.
     */
    public String reinitialize() throws IOException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("reinitialize")).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"force\": true}")).build());
        if (r.statusCode() != 200) {
            throw new IOException("POST /reinitialize answered " + r.statusCode() + ": " + r.body().strip());
        }
        return r.body().strip();
    }

    private HttpResponse<String> send(HttpRequest req) throws IOException {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
