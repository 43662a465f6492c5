package io.pgha.agent.backup;

import io.pgha.agent.http.Endpoints;
import io.pgha.agent.http.Exchange;
import io.pgha.agent.http.WholeNumberParam;
import io.vertx.core.http.HttpMethod;
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
 * the event loop, and unordered, so one waiting caller does not hold up the next. {@link Backups} registers them.
 */
final class BackupRoutes {

    private static final Logger LOG = Logger.getLogger(BackupRoutes.class);
    private static final String OFF = "backups are off: pgha.backup.dir is not set";

    private BackupRoutes() {
    }

    static void register(Endpoints on, Backups backups) {
        on.blocking("/backups", x -> list(x, backups));
        on.admin(HttpMethod.POST, "/backups", x -> start(x, backups, BackupJob::manual));
        on.admin(HttpMethod.POST, "/backups/:id/restore-drill", x -> {
            String id = x.pathParam("id");
            if (!BackupManifest.safeName(id)) {
                x.error(400, "not a backup id: " + id);
            } else {
                start(x, backups, j -> j.drill(id));
            }
        });
    }

    private static void list(Exchange x, Backups backups) {
        if (backups.job().isEmpty()) {
            x.error(404, OFF);
            return;
        }
        List<BackupStore.Listed> listed;
        try {
            listed = backups.job().get().list();
        } catch (IOException e) {
            LOG.errorf("GET /backups: cannot list the backup directory (%s)", e.toString());
            x.error(500, "cannot list the backup directory: " + e.getMessage());
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
        x.json(200, body);
    }

    private static void start(Exchange x, Backups backups, Function<BackupJob, BackupJob.Submitted> action) {
        WholeNumberParam wait = WholeNumberParam.parse("wait", x.param("wait"), 0);
        if (wait.problem() != null) {
            x.error(400, wait.problem());
            return;
        }
        if (backups.job().isEmpty()) {
            x.error(404, OFF);
            return;
        }
        answer(x, action.apply(backups.job().get()), wait.value());
    }

    private static void answer(Exchange x, BackupJob.Submitted s, int waitSeconds) {
        if (!s.accepted()) {
            x.json(409, Map.of("outcome", "refused", "message", s.reason()));
            return;
        }
        if (waitSeconds <= 0) {
            x.json(202, Map.of("outcome", "started", "message", s.reason()));
            return;
        }
        try {
            BackupJob.Result r = s.result().get(Math.min(waitSeconds, 3600), TimeUnit.SECONDS);
            int code = switch (r.outcome()) {
                case "ok" -> 200;
                case "refused" -> 409;
                default -> 500;
            };
            x.json(code, r);
        } catch (TimeoutException e) {
            x.json(202, Map.of("outcome", "running", "message", s.reason()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            x.error(503, "interrupted");
        } catch (ExecutionException e) {
            x.json(500, Map.of("outcome", "failed", "message", e.getCause().toString()));
        }
    }
}
