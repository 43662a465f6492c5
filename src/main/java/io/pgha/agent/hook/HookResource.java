package io.pgha.agent.hook;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * {@code GET /hook}: HAProxy's server states as this hook last read them and its last pushes with reasons
 * (a {@link io.pgha.agent.gossip.HookStatus}). Only the hook has one: an agent answers 404, and its page
 * shows the hook's view from {@code GET /cluster} ({@code hooks}), which every process watches in etcd.
 */
@Path("/hook")
public class HookResource {

    private final HookLifecycle hook;

    public HookResource(HookLifecycle hook) {
        this.hook = hook;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response view() {
        return hook.view().map(v -> Response.ok(v).build()).orElseGet(() -> Response.status(404)
                .entity(Map.of("error", "not a hook (pgha.mode=agent): HAProxy's view is under \"hooks\" in GET /cluster"))
                .build());
    }
}
