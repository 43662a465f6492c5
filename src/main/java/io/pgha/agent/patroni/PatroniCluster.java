package io.pgha.agent.patroni;


import io.pgha.agent.json.Json;
import io.pgha.agent.json.Node;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Patroni's cluster-wide view ({@code GET /cluster}) and its reinitialise action, for the reinit
 * feature. Blocking calls bounded by a timeout; callers run them on their own thread.
 */
public final class PatroniCluster {

    /** A member as {@code GET /cluster} lists it; lag in bytes when Patroni knows it. */
    public record Member(String name, String role, String state, Long timeline, Long lagBytes) { }

    private final PatroniHttp http;
    private final Duration timeout;
    private final Json json;

    public PatroniCluster(PatroniHttp http, Duration timeout, Json json) {
        this.http = http;
        this.timeout = timeout;
        this.json = json;
    }

    public List<Member> members() throws IOException {
        PatroniHttp.Response r = http.await(HttpMethod.GET, "/cluster", null, timeout);
        if (r.status() != 200) {
            throw new IOException("GET /cluster answered " + r.status());
        }
        List<Member> out = new ArrayList<>();
        for (Node m : json.parse(r.body()).path("members")) {
            Node lag = m.path("lag");
            out.add(new Member(m.path("name").asText(""), m.path("role").asText(null), m.path("state").asText(null),
                    m.has("timeline") ? m.path("timeline").asLong(0) : null,
                    lag.isNumber() ? lag.asLong(0) : null));
        }
        return out;
    }

    /**
     * Asks Patroni to wipe this replica and clone it again. Patroni answers 200 when it started;
     * anything else is returned as an IOException carrying Patroni's own words.
     */
    public String reinitialize() throws IOException {
        PatroniHttp.Response r = http.await(HttpMethod.POST, "/reinitialize", "{\"force\": true}", timeout);
        if (r.status() != 200) {
            throw new IOException("POST /reinitialize answered " + r.status() + ": " + r.body().strip());
        }
        return r.body().strip();
    }
}
