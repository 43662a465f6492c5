package io.pgha.agent.maintenance;

import io.pgha.agent.http.Replies;
import io.pgha.agent.security.AdminGate;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** {@code POST|DELETE /maintenance}: enter or leave maintenance; admin token required. The flag is a file. */
@Singleton
public class MaintenanceRoutes {

    private static final Logger LOG = Logger.getLogger(MaintenanceRoutes.class);

    private final MaintenanceFlag flag;
    private final AdminGate gate;
    private final Replies replies;

    public MaintenanceRoutes(MaintenanceFlag flag, AdminGate gate, Replies replies) {
        this.flag = flag;
        this.gate = gate;
        this.replies = replies;
    }

    void routes(@Observes Router router) {
        router.post("/maintenance").blockingHandler(gate::check, false)
                .blockingHandler(ctx -> answer(ctx, flag.enter()), false);
        router.delete("/maintenance").blockingHandler(gate::check, false)
                .blockingHandler(ctx -> answer(ctx, flag.leave()), false);
    }

    private void answer(RoutingContext ctx, MaintenanceChange change) {
        LOG.info(change.reason());
        replies.text(ctx, change.status(), change.reason() + "\n");
    }
}
