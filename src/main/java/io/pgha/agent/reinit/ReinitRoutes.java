package io.pgha.agent.reinit;

import io.pgha.agent.http.Replies;
import io.pgha.agent.security.AdminGate;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code GET /reinit}: state, drift seen, last decisions with reasons and attempts; {@code POST /reinit/pause}
 * and {@code /reinit/resume} (admin token). Worker threads: the runner's state is read under its lock.
 */
@Singleton
public class ReinitRoutes {

    private final ReinitLifecycle lifecycle;
    private final AdminGate gate;
    private final Replies replies;

    public ReinitRoutes(ReinitLifecycle lifecycle, AdminGate gate, Replies replies) {
        this.lifecycle = lifecycle;
        this.gate = gate;
        this.replies = replies;
    }

    void routes(@Observes Router router) {
        router.get("/reinit").blockingHandler(ctx -> replies.json(ctx, 200, lifecycle.runner()
                .<Map<String, Object>>map(r -> Map.of("enabled", true, "state", r.state()))
                .orElse(Map.of("enabled", false))), false);
        router.post("/reinit/pause").blockingHandler(gate::check, false)
                .blockingHandler(ctx -> change(ctx, ReinitRunner::pause, true), false);
        router.post("/reinit/resume").blockingHandler(gate::check, false)
                .blockingHandler(ctx -> change(ctx, ReinitRunner::resume, false), false);
    }

    private void change(RoutingContext ctx, Consumer<ReinitRunner> action, boolean paused) {
        lifecycle.runner().ifPresentOrElse(r -> {
            action.accept(r);
            replies.json(ctx, 200, Map.of("paused", paused));
        }, () -> replies.error(ctx, 409, "reinit on drift is off (pgha.reinit.enabled=false)"));
    }
}
