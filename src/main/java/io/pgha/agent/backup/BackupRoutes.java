package io.pgha.agent.backup;

import io.pgha.agent.http.Replies;
import io.pgha.agent.http.WholeNumberParam;
import io.pgha.agent.security.AdminGate;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * {@code GET /backups}: this node's manifests (refused ones with the reason) and its backup facts.
 * {@code POST /backups} and {@code POST /backups/{id}/restore-drill} (admin): start an action; 202 at once, or
 * with {@code ?wait=N} wait up to N seconds and answer 200 (ok), 500 (failed) or 409 (refused: busy, claimed
 * elsewhere, unknown id). Every handler runs on a worker thread (files, and waits of up to an hour), never on
 * the event loop, and unordered, so one waiting caller does not hold up the next.
 */
@Singleton
public class BackupRoutes {

    private static final Logger LOG = Logger.getLogger(BackupRoutes.class);
    private static final String OFF = "backups are off: pgha.backup.dir is not set";

    private final Backups backups;
    private final AdminGate gate;
    private final Replies replies;

    public BackupRoutes(Backups backups, AdminGate gate, Replies replies) {
        this.backups = backups;
        this.gate = gate;
        this.replies = replies;
    }

    void routes(@Observes Router router) {
        router.get("/backups").blockingHandler(this::list, false);
        router.post("/backups").blockingHandler(gate::check, false)
                .blockingHandler(ctx -> start(ctx, BackupJob::manual), false);
        router.post("/backups/:id/restore-drill").blockingHandler(gate::check, false).blockingHandler(ctx -> {
            String id = ctx.pathParam("id");
            if (!BackupManifest.safeName(id)) {
                replies.error(ctx, 400, "not a backup id: " + id);
            } else {
                start(ctx, j -> j.drill(id));
            }
        }, false);
    }

    private void list(RoutingContext ctx) {
        if (backups.job().isEmpty()) {
            replies.error(ctx, 404, OFF);
            return;
        }
        List<BackupStore.Listed> listed;
        try {
            listed = backups.job().get().list();
        } catch (IOException e) {
            LOG.errorf("GET /backups: cannot list the backup directory (%s)", e.toString());
            replies.error(ctx, 500, "cannot list the backup directory: " + e.getMessage());
            return;
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (BackupStore.Listed l : listed) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("file", l.path().getFileName().toString());
            l.parsed().manifest().ifPresentOrElse(m -> {
                item.put("good", m.good() && l.complete());
                item.put("manifest", m);
            }, () -> item.put("refused", l.parsed().problem()));
            if (l.parsed().manifest().isPresent() && !l.complete()) {
                item.put("problem", "files named by the manifest are missing");
            }
            items.add(item);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("node", backups.node());
        body.put("facts", backups.status().facts());
        body.put("backups", items);
        replies.json(ctx, 200, body);
    }

    private void start(RoutingContext ctx, Function<BackupJob, BackupJob.Submitted> action) {
        WholeNumberParam wait = WholeNumberParam.parse("wait", ctx.request().getParam("wait"), 0);
        if (wait.problem() != null) {
            replies.error(ctx, 400, wait.problem());
            return;
        }
        if (backups.job().isEmpty()) {
            replies.error(ctx, 404, OFF);
            return;
        }
        answer(ctx, action.apply(backups.job().get()), wait.value());
    }

    private void answer(RoutingContext ctx, BackupJob.Submitted s, int waitSeconds) {
        if (!s.accepted()) {
            replies.json(ctx, 409, Map.of("outcome", "refused", "message", s.reason()));
            return;
        }
        if (waitSeconds <= 0) {
            replies.json(ctx, 202, Map.of("outcome", "started", "message", s.reason()));
            return;
        }
        try {
            BackupJob.Result r = s.result().get(Math.min(waitSeconds, 3600), TimeUnit.SECONDS);
            int code = switch (r.outcome()) {
                case "ok" -> 200;
                case "refused" -> 409;
                default -> 500;
            };
            replies.json(ctx, code, r);
        } catch (TimeoutException e) {
            replies.json(ctx, 202, Map.of("outcome", "running", "message", s.reason()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            replies.error(ctx, 503, "interrupted");
        } catch (ExecutionException e) {
            replies.json(ctx, 500, Map.of("outcome", "failed", "message", e.getCause().toString()));
        }
    }
}
