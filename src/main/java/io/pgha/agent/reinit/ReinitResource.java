package io.pgha.agent.reinit;

import io.pgha.agent.security.AdminOnly;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/** {@code GET /reinit}: state, drift seen, last decisions with reasons and attempts; pause and resume (admin token). */
@Path("/reinit")
@Produces(MediaType.APPLICATION_JSON)
public class ReinitResource {
    private final ReinitLifecycle lifecycle;

    public ReinitResource(ReinitLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @GET
    public Response get() {
        return lifecycle.runner()
                .map(r -> Response.ok(Map.of("enabled", true, "state", r.state())).build())
                .orElse(Response.ok(Map.of("enabled", false)).build());
    }

    @POST
    @AdminOnly
    @Path("/pause")
    public Response pause() {
        return lifecycle.runner().map(r -> {
            r.pause();
            return Response.ok(Map.of("paused", true)).build();
        }).orElse(disabled());
    }

    @POST
    @AdminOnly
    @Path("/resume")
    public Response resume() {
        return lifecycle.runner().map(r -> {
            r.resume();
            return Response.ok(Map.of("paused", false)).build();
        }).orElse(disabled());
    }

    private static Response disabled() {
        return Response.status(409).entity(Map.of("error", "reinit on drift is off (pgha.reinit.enabled=false)")).build();
    }
}
