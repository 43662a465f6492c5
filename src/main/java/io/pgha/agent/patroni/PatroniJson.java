package io.pgha.agent.patroni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.agent.node.PatroniStatus;
import io.pgha.agent.node.ProbeResult;
import java.io.IOException;

/** Reads the fields the agent uses from a {@code GET /patroni} body; everything else is ignored. */
final class PatroniJson {

    private PatroniJson() {
    }

    static PatroniStatus parse(ObjectMapper json, String body, ProbeResult probe) throws IOException {
        JsonNode root = json.readTree(body);
        if (root == null || !root.isObject()) {
            throw new IOException("body is not a JSON object");
        }
        JsonNode tags = root.path("tags");
        return new PatroniStatus(probe,
                text(root, "role"),
                text(root, "state"),
                root.hasNonNull("timeline") ? root.get("timeline").asLong() : null,
                root.path("pause").asBoolean(false),
                root.path("pending_restart").asBoolean(false),
                tags.path("nofailover").asBoolean(false),
                tags.path("noloadbalance").asBoolean(false));
    }

    private static String text(JsonNode root, String field) {
        return root.hasNonNull(field) ? root.get(field).asText() : null;
    }
}
