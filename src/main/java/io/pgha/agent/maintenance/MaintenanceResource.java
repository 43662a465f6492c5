package io.pgha.agent.maintenance;

import io.pgha.agent.security.AdminOnly;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

/** {@code POST|DELETE /maintenance}: enter or leave maintenance; admin token required. */
@Path("/maintenance")
@AdminOnly
public class MaintenanceResource {

    private static final Logger LOG = Logger.getLogger(MaintenanceResource.class);

    private final MaintenanceFlag flag;

    public MaintenanceResource(MaintenanceFlag flag) {
        this.flag = flag;
    }

    @POST
    @Produces(MediaType.TEXT_PLAIN)
    public Response enter() {
        return answer(flag.enter());
    }

    @DELETE
    @Produces(MediaType.TEXT_PLAIN)
    public Response leave() {
        return answer(flag.leave());
    }

    private static Response answer(MaintenanceChange change) {
        LOG.info(change.reason());
        return Response.status(change.status()).entity(change.reason() + "\n").build();
    }
}
