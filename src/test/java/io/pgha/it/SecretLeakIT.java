package io.pgha.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No secret of the local cluster (database passwords, HAProxy stats password, admin token) appears in what
 * the agents show: their logs, their HTTP answers (status, metrics, health, errors), their command line and
 * environment. Before looking, every agent is sent the admin token right and wrong and a password as a
 * token, so a filter that logged the Authorization header would be caught.
 */
class SecretLeakIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static LocalCluster cluster;

    @BeforeAll
    static void cluster() {
        cluster = LocalCluster.fromEnvironment();
        cluster.awaitHealthy(Duration.ofSeconds(120));
    }

    @Test
    void noSecretInLogsHttpAnswersCommandLineOrEnvironment() throws Exception {
        Map<String, String> secrets = new LinkedHashMap<>();
        for (String name : cluster.secretNames()) {
            secrets.put(name, cluster.secret(name));
        }
        assertTrue(secrets.containsKey("PGHA_ADMIN_TOKEN") && secrets.containsKey("SUPERUSER_PASSWORD"), secrets.keySet()::toString);
        secrets.forEach((k, v) -> assertTrue(v.length() >= 16, k + " is too short to search for"));
        String token = secrets.get("PGHA_ADMIN_TOKEN");

        Map<String, String> seen = new LinkedHashMap<>();
        for (int n = 1; n <= 3; n++) {
            String base = "http://" + cluster.addr(n) + ":" + cluster.agentHttpPort();
            // Provoke the paths that handle secrets: right token, wrong token, a password offered as token.
            HttpResponse<String> ok = send(base + "/maintenance", "DELETE", "Bearer " + token);
            assertEquals(200, ok.statusCode(), "node " + n + ": the cluster's admin token was refused: " + ok.body());
            for (String wrong : List.of("Bearer " + secrets.get("SUPERUSER_PASSWORD"), "Bearer " + token + "x",
                    "Basic " + token)) {
                HttpResponse<String> r = send(base + "/maintenance", "POST", wrong);
                assertEquals(401, r.statusCode(), "node " + n);
                seen.put("node " + n + " 401 answer", r.headers().map() + "\n" + r.body());
            }
            for (String path : List.of("/status", "/q/metrics", "/q/health", "/q/health/live", "/q/health/ready",
                    "/primary", "/replica", "/health", "/no-such-path", "/maintenance", "/cluster", "/hook")) {
                HttpResponse<String> r = send(base + path, "GET", null);
                seen.put("node " + n + " GET " + path + " (" + r.statusCode() + ")", r.headers().map() + "\n" + r.body());
            }
            long pid = cluster.pid(n, "agent");
            seen.put("node " + n + " agent command line", read(Path.of("/proc/" + pid + "/cmdline")));
            seen.put("node " + n + " agent environment", read(Path.of("/proc/" + pid + "/environ")));
        }
        // The hook's view of HAProxy: read over the admin socket, which knows more than a page may show.
        HttpResponse<String> hook = send(cluster.env("HOOK_URL") + "/hook", "GET", null);
        seen.put("hook GET /hook (" + hook.statusCode() + ")", hook.headers().map() + "\n" + hook.body());
        LocalCluster.sleep(500); // let the refusals reach the log files
        for (int n = 1; n <= 3; n++) {
            Path log = Path.of(cluster.env("PGHA_STATE_DIR"), "node" + n, "log", "agent.log");
            String text = read(log);
            assertTrue(text.contains("refused with 401"), "node " + n + ": the refusals are not in " + log);
            seen.put("node " + n + " " + log, text);
            seen.put("node " + n + " pgha-local logs", cluster.run("logs", String.valueOf(n), "agent").stdout());
        }
        // The search itself works: the token file the agents read holds the token.
        assertTrue(read(Path.of(cluster.env("PGHA_STATE_DIR"), "node1", "agent", "admin-token")).contains(token));
        assertTrue(seen.get("node 1 GET /status (200)").contains("verdicts"), "GET /status gave no body");

        List<String> leaks = new ArrayList<>();
        seen.forEach((where, text) -> secrets.forEach((name, value) -> {
            if (text.contains(value)) {
                leaks.add(name + " appears in " + where);
            }
        }));
        assertEquals(List.of(), leaks);
    }

    private static HttpResponse<String> send(String url, String method, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String read(Path p) throws IOException {
        return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
    }
}
