package io.pgha.agent.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import io.pgha.agent.patroni.PatroniTls;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Finds the writable server a restore drill can create its scratch database on: Patroni's {@code /cluster}
 * names the leader's host and port. A drill never runs on a replica (CREATE DATABASE needs a primary).
 */
public final class PrimaryLocator {

    private final URI cluster;
    private final Duration timeout;
    private final ObjectMapper json;
    private final HttpClient http;
    private final String pgParams;

    public PrimaryLocator(String patroniUrl, Duration timeout, ObjectMapper json, PatroniTls tls, String pgParams) {
        this.cluster = URI.create(patroniUrl.replaceAll("/+$", "") + "/cluster");
        this.timeout = timeout;
        this.json = json;
        this.http = tls.client(timeout);
        this.pgParams = pgParams;
    }

    public PgTarget primary(String user) throws IOException {
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(cluster).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted asking " + cluster, e);
        }
        if (r.statusCode() != 200) {
            throw new IOException(cluster + " answered " + r.statusCode());
        }
        for (JsonNode m : json.readTree(r.body()).path("members")) {
            if ("leader".equals(m.path("role").asText()) && m.hasNonNull("host")) {
                return new PgTarget(m.path("host").asText(), m.path("port").asInt(5432), user, pgParams);
            }
        }
        throw new IOException("Patroni's /cluster names no leader");
    }
}
