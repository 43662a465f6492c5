package io.pgha.agent.gossip;

import io.pgha.agent.http.Replies;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/** {@code GET /cluster}: the whole view this process holds, as JSON (what {@code pgha-status} prints). */
@Singleton
public class ClusterRoutes {

    private final GossipBeans gossip;
    private final Replies replies;

    public ClusterRoutes(GossipBeans gossip, Replies replies) {
        this.gossip = gossip;
        this.replies = replies;
    }

    void routes(@Observes Router router) {
        router.get("/cluster").handler(ctx -> {
            if (!gossip.enabled()) {
                replies.error(ctx, 503, "gossip disabled");
            } else {
                replies.json(ctx, 200, gossip.watcher().view());
            }
        });
    }
}
