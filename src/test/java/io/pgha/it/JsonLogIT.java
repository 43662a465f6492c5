package io.pgha.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** With PGHA_LOG_JSON=true the packaged agent writes one JSON object per line, decisions as messages. */
class JsonLogIT {

    @Test
    void jsonLinesCarryTheDecisionSentences() throws Exception {
        Path jar = Path.of(System.getProperty("pgha.repo", "."), "target", "quarkus-app", "quarkus-run.jar");
        assertTrue(Files.exists(jar), "build the agent first: " + jar);
        int check;
        int http;
        try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
            check = a.getLocalPort();
            http = b.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder("java", "-jar", jar.toString()).redirectErrorStream(true);
        pb.environment().putAll(java.util.Map.of("PGHA_LOG_JSON", "true", "PGHA_NODE_NAME", "json-test",
                "PGHA_PATRONI_URL", "http://127.0.0.1:1", "PGHA_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:2/postgres",
                "PGHA_ETCD_ENDPOINTS", "http://127.0.0.1:3", "PGHA_AGENT_CHECK_HOST", "127.0.0.1",
                "PGHA_AGENT_CHECK_PORT", Integer.toString(check), "QUARKUS_HTTP_HOST", "127.0.0.1",
                "QUARKUS_HTTP_PORT", Integer.toString(http)));
        Process p = pb.start();
        List<JsonNode> lines = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String line;
            while (System.nanoTime() < deadline && (line = r.readLine()) != null) {
                JsonNode n = json.readTree(line);
                assertTrue(n.hasNonNull("message") && n.hasNonNull("level") && n.hasNonNull("timestamp"), line);
                lines.add(n);
                if (n.path("message").asText().startsWith("crash fast path off:")) {
                    break;
                }
            }
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        assertTrue(lines.stream().anyMatch(n -> n.path("message").asText()
                        .equals("crash fast path off: pgha.fast-path.enabled [PGHA_FAST_PATH_ENABLED] is false")),
                "no decision sentence among " + lines.size() + " JSON lines");
    }
}
