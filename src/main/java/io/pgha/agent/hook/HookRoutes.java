package io.pgha.agent.hook;

import io.pgha.agent.http.Replies;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * {@code GET /hook}: HAProxy's server states as this hook last read them and its last pushes with reasons
 * (a {@link io.pgha.agent.gossip.HookStatus}). Only the hook has one: an agent answers 404, and its page
 * shows the hook's view from {@code GET /cluster} ({@code hooks}), which every process watches in etcd.
 */
@Singleton
public class HookRoutes {

    private final HookLifecycle hook;
    private final Replies replies;

    public HookRoutes(HookLifecycle hook, Replies replies) {
        this.hook = hook;
        this.replies = replies;
    }

    void routes(@Observes Router router) {
        router.get("/hook").handler(ctx -> hook.view().ifPresentOrElse(v -> replies.json(ctx, 200, v),
                () -> replies.error(ctx, 404,
                        "not a hook (pgha.mode=agent): HAProxy's view is under \"hooks\" in GET /cluster")));
    }
}
