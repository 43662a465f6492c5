package io.pgha.agent.backup;

import io.pgha.agent.security.AdminOnly;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code GET /backups}: this node's manifests (refused ones with the reason) and its backup facts.
 * {@code POST /backups} and {@code POST /backups/{id}/restore-drill} (admin): start an action; 202 at once, or
 * with {@code ?wait=N} wait up to N seconds and answer 200 (ok), 500 (failed) or 409 (refused: busy, claimed
 * elsewhere, unknown id). Blocking methods run on a worker thread, never on the event loop.
 */
@Path("/backups")
@Produces(MediaType.APPLICATION_JSON)
public class BackupResource {

    private final Backups backups;

    public BackupResource(Backups backups) {
        this.backups = backups;
    }

    @GET
    public Response list() throws IOException {
        if (backups.job().isEmpty()) {
            return Response.status(404).entity(Map.of("error", "backups are off: pgha.backup.dir is not set")).build();
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (BackupStore.Listed l : backups.job().get().list()) {
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
        return Response.ok(body).build();
    }

    @POST
    @AdminOnly
    public Response runNow(@QueryParam("wait") Integer waitSeconds) {
        return backups.job().map(j -> answer(j.manual(), waitSeconds)).orElseGet(BackupResource::off);
    }

    @POST
    @Path("{id}/restore-drill")
    @AdminOnly
    public Response drill(@PathParam("id") String id, @QueryParam("wait") Integer waitSeconds) {
        if (!BackupManifest.safeName(id)) {
            return Response.status(400).entity(Map.of("error", "not a backup id: " + id)).build();
        }
        return backups.job().map(j -> answer(j.drill(id), waitSeconds)).orElseGet(BackupResource::off);
    }

    private static Response off() {
        return Response.status(404).entity(Map.of("error", "backups are off: pgha.backup.dir is not set")).build();
    }

    private static Response answer(BackupJob.Submitted s, Integer waitSeconds) {
        if (!s.accepted()) {
            return Response.status(409).entity(Map.of("outcome", "refused", "message", s.reason())).build();
        }
        if (waitSeconds == null || waitSeconds <= 0) {
            return Response.status(202).entity(Map.of("outcome", "started", "message", s.reason())).build();
        }
        try {
            BackupJob.Result r = s.result().get(Math.min(waitSeconds, 3600), TimeUnit.SECONDS);
            int code = switch (r.outcome()) {
                case "ok" -> 200;
                case "refused" -> 409;
                default -> 500;
            };
            return Response.status(code).entity(r).build();
        } catch (TimeoutException e) {
            return Response.status(202).entity(Map.of("outcome", "running", "message", s.reason())).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Response.status(503).entity(Map.of("error", "interrupted")).build();
        } catch (ExecutionException e) {
            return Response.status(500).entity(Map.of("outcome", "failed", "message", e.getCause().toString())).build();
        }
    }
}
