package io.pgha.agent.watchdog;

import io.pgha.agent.http.Replies;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /watchdog}: whether the leader watchdog runs, its last decision and the fences so far. */
@Singleton
public class WatchdogRoutes {

    private final WatchdogLifecycle lifecycle;
    private final Replies replies;

    public WatchdogRoutes(WatchdogLifecycle lifecycle, Replies replies) {
        this.lifecycle = lifecycle;
        this.replies = replies;
    }

    void routes(@Observes Router router) {
        router.get("/watchdog").handler(ctx -> replies.json(ctx, 200, body()));
    }

    Map<String, Object> body() {
        Map<String, Object> out = new LinkedHashMap<>();
        var state = lifecycle.state();
        out.put("running", state.isPresent());
        if (state.isEmpty()) {
            out.put("off", lifecycle.offReason());
            return out;
        }
        WatchdogRunner.State s = state.get();
        out.put("cause", s.decision().cause());
        out.put("decision", s.decision().reason());
        out.put("fences", s.fences());
        if (s.lastFenceAt() != null) {
            out.put("lastFenceAt", s.lastFenceAt().toString());
            out.put("lastFence", s.lastFence());
        }
        return out;
    }
}
