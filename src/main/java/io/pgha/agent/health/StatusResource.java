package io.pgha.agent.health;

import io.pgha.agent.node.Role;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Patroni-style HTTP checks answered from the same cached verdicts as the agent-check port, so an httpchk
 * setup and an agent-check setup can never disagree. 200 means "send new connections", 503 anything else.
 */
@Path("/")
public class StatusResource {

    private final VerdictStore store;

    public StatusResource(VerdictStore store) {
        this.store = store;
    }

    @GET
    @Path("status")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> status() {
        Verdicts v = store.current();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("snapshotAgeMillis", store.snapshotAge().toMillis());
        body.put("fresh", store.fresh());
        body.put("verdicts", Map.of("primary", view(v.primary()), "replica", view(v.replica()),
                "any", view(v.any())));
        body.put("snapshot", store.last().map(VerdictStore.Decision::snapshot).orElse(null));
        return body;
    }

    @GET
    @Path("primary")
    @Produces(MediaType.TEXT_PLAIN)
    public Response primary() {
        return answer(Role.PRIMARY, true);
    }

    @HEAD
    @Path("primary")
    public Response primaryHead() {
        return answer(Role.PRIMARY, false);
    }

    @GET
    @Path("replica")
    @Produces(MediaType.TEXT_PLAIN)
    public Response replica() {
        return answer(Role.REPLICA, true);
    }

    @HEAD
    @Path("replica")
    public Response replicaHead() {
        return answer(Role.REPLICA, false);
    }

    /** Like Patroni's /health: PostgreSQL is up, whatever its role. */
    @GET
    @Path("health")
    @Produces(MediaType.TEXT_PLAIN)
    public Response health() {
        return answer(Role.ANY, true);
    }

    @HEAD
    @Path("health")
    public Response healthHead() {
        return answer(Role.ANY, false);
    }

    private Response answer(Role role, boolean withBody) {
        Verdict v = store.current().of(role);
        Response.ResponseBuilder r = Response.status(v.word().acceptsTraffic() ? 200 : 503);
        if (withBody) {
            r.entity(v.label() + " " + v.reason() + "\n").type(MediaType.TEXT_PLAIN);
        }
        return r.build();
    }

    private static Map<String, Object> view(Verdict v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("word", v.label());
        m.put("cause", v.cause());
        m.put("reason", v.reason());
        return m;
    }
}
