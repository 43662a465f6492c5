package io.pgha.agent.fastpath;

import io.pgha.agent.http.Replies;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /fast-path}: whether the crash fast path runs, its last decision and its evidence. */
@Singleton
public class FastPathRoutes {

    private final FastPathLifecycle lifecycle;
    private final Replies replies;

    public FastPathRoutes(FastPathLifecycle lifecycle, Replies replies) {
        this.lifecycle = lifecycle;
        this.replies = replies;
    }

    void routes(@Observes Router router) {
        router.get("/fast-path").handler(ctx -> replies.json(ctx, 200, body()));
    }

    Map<String, Object> body() {
        Map<String, Object> out = new LinkedHashMap<>();
        var state = lifecycle.state();
        out.put("running", state.isPresent());
        if (state.isEmpty()) {
            out.put("off", lifecycle.offReason());
            return out;
        }
        out.put("decision", state.get().decision().reason());
        out.put("releases", state.get().releases());
        state.get().evidence().ifPresent(e -> out.put("evidence", e));
        return out;
    }
}
