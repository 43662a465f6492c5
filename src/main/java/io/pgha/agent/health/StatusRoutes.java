package io.pgha.agent.health;

import io.pgha.agent.http.Endpoints;
import io.pgha.agent.http.Exchange;
import io.pgha.agent.node.Role;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /status} (snapshot and verdicts as JSON) and Patroni-style HTTP checks answered from the same cached
 * verdicts as the agent-check port, so an httpchk setup and an agent-check setup can never disagree: {@code GET|HEAD
 * /primary}, {@code /replica} and {@code /health}, 200 meaning "send new connections", 503 anything else. They read
 * the cache only, so they run on the event loop. {@link HealthBeans} registers them.
 */
final class StatusRoutes {

    private StatusRoutes() {
    }

    static void register(Endpoints on, VerdictStore store) {
        on.json("/status", () -> status(store));
        for (Role role : Role.values()) {
            // Like Patroni's /health: PostgreSQL is up, whatever its role.
            String path = role == Role.ANY ? "/health" : "/" + role.wire();
            on.getAndHead(path, x -> answer(x, store, role));
        }
    }

    static Map<String, Object> status(VerdictStore store) {
        Verdicts v = store.current();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("snapshotAgeMillis", store.snapshotAge().toMillis());
        body.put("fresh", store.fresh());
        body.put("verdicts", Map.of("primary", view(v.primary()), "replica", view(v.replica()),
                "any", view(v.any())));
        body.put("snapshot", store.last().map(VerdictStore.Decision::snapshot).orElse(null));
        return body;
    }

    private static void answer(Exchange x, VerdictStore store, Role role) {
        Verdict v = store.current().of(role);
        x.text(v.word().acceptsTraffic() ? 200 : 503, v.label() + " " + v.reason() + "\n");
    }

    private static Map<String, Object> view(Verdict v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("word", v.label());
        m.put("cause", v.cause());
        m.put("reason", v.reason());
        return m;
    }
}
