package io.pgha.agent.fastpath;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /fast-path}: whether it runs, its last decision sentence and the evidence behind it. */
@Path("/fast-path")
public class FastPathResource {
    private final FastPathLifecycle lifecycle;

    public FastPathResource(FastPathLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> get() {
        Map<String, Object> out = new LinkedHashMap<>();
        var state = lifecycle.state();
        out.put("running", state.isPresent());
        if (state.isEmpty()) {
            out.put("off", lifecycle.offReason());
            return out;
        }
        out.put("decision", state.get().decision().reason());
        out.put("releases", state.get().releases());
        state.get().evidence().ifPresent(e -> out.put("evidence", e));
        return out;
    }
}
