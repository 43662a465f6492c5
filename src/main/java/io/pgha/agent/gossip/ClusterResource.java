package io.pgha.agent.gossip;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code GET /cluster}: the whole view this process holds, as JSON (what {@code pgha-status} prints). */
@Path("/cluster")
public class ClusterResource {

    private final GossipBeans gossip;

    public ClusterResource(GossipBeans gossip) {
        this.gossip = gossip;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response cluster() {
        if (!gossip.enabled()) {
            return Response.status(503).entity("{\"error\":\"gossip disabled\"}").build();
        }
        return Response.ok(gossip.watcher().view()).build();
    }
}
