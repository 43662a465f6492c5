package io.pgha.agent.backup;

import io.pgha.agent.json.Json;
import io.pgha.agent.json.Node;
import io.pgha.agent.patroni.PatroniHttp;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.time.Duration;

/**
 * Finds the writable server a restore drill can create its scratch database on: Patroni's {@code /cluster}
 * names the leader's host and port. A drill never runs on a replica (CREATE DATABASE needs a primary).
 */
public final class PrimaryLocator {

    private final PatroniHttp http;
    private final Duration timeout;
    private final Json json;
    private final String pgParams;

    public PrimaryLocator(PatroniHttp http, Duration timeout, Json json, String pgParams) {
        this.http = http;
        this.timeout = timeout;
        this.json = json;
        this.pgParams = pgParams;
    }

    public PgTarget primary(String user) throws IOException {
        PatroniHttp.Response r = http.await(HttpMethod.GET, "/cluster", null, timeout);
        if (r.status() != 200) {
            throw new IOException(http.url("/cluster") + " answered " + r.status());
        }
        for (Node m : json.parse(r.body()).path("members")) {
            if ("leader".equals(m.path("role").asText("")) && m.has("host")) {
                return new PgTarget(m.path("host").asText(""), (int) m.path("port").asLong(5432), user, pgParams);
            }
        }
        throw new IOException("Patroni's /cluster names no leader");
    }
}
