package io.pgha.agent.patroni;

import io.pgha.agent.json.Json;
import io.pgha.agent.json.Node;
import io.pgha.agent.node.PatroniStatus;
import io.pgha.agent.node.ProbeResult;
import java.io.IOException;

/** Reads the fields the agent uses from a {@code GET /patroni} body; everything else is ignored. */
final class PatroniJson {

    private PatroniJson() {
    }

    static PatroniStatus parse(Json json, String body, ProbeResult probe) throws IOException {
        Node root = json.parse(body);
        if (!root.isObject()) {
            throw new IOException("body is not a JSON object");
        }
        Node tags = root.path("tags");
        return new PatroniStatus(probe,
                text(root, "role"),
                text(root, "state"),
                root.has("timeline") ? root.path("timeline").asLong(0) : null,
                root.path("pause").asBoolean(false),
                root.path("pending_restart").asBoolean(false),
                tags.path("nofailover").asBoolean(false),
                tags.path("noloadbalance").asBoolean(false));
    }

    private static String text(Node root, String field) {
        return root.path(field).asText(null);
    }
}
