package io.pgha.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The real local cluster that {@code deploy/local/pgha-local up} started, seen from a test: its
 * layout comes from {@code pgha-local env}, its passwords from {@code pgha-local secrets}, and every
 * action goes through the same script an operator would use.
 */
public final class LocalCluster {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path script;
    private final Map<String, String> env;
    private final Map<String, String> secrets;
    /** Environment every verb gets, e.g. PGHA_INSTANCE for a second cluster beside the default one. */
    private final Map<String, String> base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private LocalCluster(Path script) {
        this(script, Map.of());
    }

    private LocalCluster(Path script, Map<String, String> base) {
        this.script = script;
        this.base = Map.copyOf(base);
        this.env = parse(run("env").stdout());
        this.secrets = parse(run("secrets").stdout());
        if (!"netns".equals(env.get("PGHA_MODE")) && !"loopback".equals(env.get("PGHA_MODE"))) {
            throw new IllegalStateException("no local cluster is up (pgha-local env says mode "
                    + env.get("PGHA_MODE") + "); run deploy/local/pgha-local up");
        }
    }

    public static LocalCluster fromEnvironment() {
        return new LocalCluster(script());
    }

    /** A cluster already brought up with {@code env} (e.g. PGHA_INSTANCE=8, PGHA_TLS=on) by {@link #script()}. */
    public static LocalCluster withEnv(Map<String, String> env) {
        return new LocalCluster(script(), env);
    }

    /** The pgha-local script the suite drives ($PGHA_LOCAL, or the repository's). */
    public static Path script() {
        String configured = System.getenv("PGHA_LOCAL");
        Path script = configured != null ? Path.of(configured)
                : Path.of(System.getProperty("pgha.repo", "."), "deploy", "local", "pgha-local");
        if (!Files.isExecutable(script)) {
            throw new IllegalStateException("pgha-local not found at " + script);
        }
        return script.toAbsolutePath();
    }

    public record Result(int exit, String stdout, String stderr) { }

    public Result run(String... args) {
        return run(Map.of(), args);
    }

    /** A pgha-local verb with extra environment (e.g. PGHA_FAST_PATH=false for start-node). */
    public Result run(Map<String, String> extraEnv, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(script.toString());
        cmd.addAll(List.of(args));
        Map<String, String> all = new LinkedHashMap<>(base);
        all.putAll(extraEnv);
        return exec(all, cmd);
    }

    public static Result exec(Map<String, String> extraEnv, List<String> cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().putAll(extraEnv);
            Path out = Files.createTempFile("pgha-it", ".out");
            Path err = Files.createTempFile("pgha-it", ".err");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + cmd);
            }
            Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return r;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> parse(String lines) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : lines.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return m;
    }

    /** The environment every verb gets (PGHA_INSTANCE and such), for processes the tests start themselves. */
    public Map<String, String> baseEnv() {
        return base;
    }

    public String env(String key) {
        String v = env.get(key);
        if (v == null) {
            throw new IllegalStateException("pgha-local env has no " + key);
        }
        return v;
    }

    public java.util.Optional<String> optionalEnv(String key) {
        return java.util.Optional.ofNullable(env.get(key));
    }

    public String secret(String key) {
        String v = secrets.get(key);
        if (v == null) {
            throw new IllegalStateException("pgha-local secrets has no " + key);
        }
        return v;
    }

    /** The names of every secret pgha-local generated (passwords, admin token), for leak checks. */
    public java.util.Set<String> secretNames() {
        return java.util.Set.copyOf(secrets.keySet());
    }

    public String addr(int node) {
        return env("NODE" + node + "_ADDR");
    }

    public String name(int node) {
        return env("NODE" + node + "_NAME");
    }

    public int nodeOf(String memberOrAddress) {
        for (int n = 1; n <= 3; n++) {
            if (name(n).equals(memberOrAddress) || addr(n).equals(memberOrAddress)) {
                return n;
            }
        }
        throw new IllegalArgumentException("no node named " + memberOrAddress);
    }

    /** A connection through HAProxy (5000 rw, 5001 ro, 5002 any) or straight to a node (5432). */
    public Connection connect(String host, int port) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", secret("SUPERUSER_PASSWORD"));
        p.setProperty("connectTimeout", "2");
        p.setProperty("socketTimeout", "10");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres", p);
    }

    public Connection viaHaproxy(int port) throws SQLException {
        return connect(env("HAPROXY_ADDR"), port);
    }

    public Connection node(int n) throws SQLException {
        return connect(addr(n), 5432);
    }

    /** Patroni's own view of the cluster, from the first node that answers. */
    public JsonNode patroniCluster() {
        IllegalStateException last = null;
        for (int n = 1; n <= 3; n++) {
            try {
                return JSON.readTree(get("http://" + addr(n) + ":8008/cluster").body());
            } catch (IllegalStateException | IOException e) {
                last = new IllegalStateException("node " + n + ": " + e.getMessage(), e);
            }
        }
        throw last;
    }

    /** The leader from Patroni's /cluster over a given client (TLS mode: https with the cluster's CA). */
    public String leaderNameOver(HttpClient client) {
        for (int n = 1; n <= 3; n++) {
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://" + addr(n) + ":8008/cluster"))
                        .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
                for (JsonNode m : JSON.readTree(r.body()).path("members")) {
                    if ("leader".equals(m.path("role").asText())) {
                        return m.path("name").asText();
                    }
                }
            } catch (IOException e) {
                // next node
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("no node's Patroni names a leader over https");
    }

    /** The member holding the leader lock, or null while there is none. */
    public String leaderName() {
        try {
            for (JsonNode m : patroniCluster().path("members")) {
                if ("leader".equals(m.path("role").asText()) && "running".equals(m.path("state").asText())) {
                    return m.path("name").asText();
                }
            }
        } catch (IllegalStateException e) {
            return null;
        }
        return null;
    }

    /**
     * A member Patroni may switch over to: the synchronous standby. Right after a switchover or a
     * failover Patroni takes a loop or two to name the new one, so wait for it; only a cluster that
     * runs without synchronous mode gets any running replica.
     */
    public String syncStandby() {
        if (syncMode()) {
            return await("Patroni to name a synchronous standby", Duration.ofSeconds(60), () -> {
                for (JsonNode m : patroniCluster().path("members")) {
                    if ("sync_standby".equals(m.path("role").asText()) && runningOrStreaming(m)) {
                        return m.path("name").asText();
                    }
                }
                return null;
            });
        }
        String fallback = null;
        for (JsonNode m : patroniCluster().path("members")) {
            String role = m.path("role").asText();
            if ("sync_standby".equals(role)) {
                return m.path("name").asText();
            }
            if ("replica".equals(role) && runningOrStreaming(m)) {
                fallback = m.path("name").asText();
            }
        }
        if (fallback == null) {
            throw new IllegalStateException("no running replica to switch over to");
        }
        return fallback;
    }

    /** A replica's state: Patroni 3.0 says running, later versions streaming. */
    private static boolean runningOrStreaming(JsonNode m) {
        String state = m.path("state").asText();
        return "running".equals(state) || "streaming".equals(state);
    }

    /** Whether Patroni runs in synchronous mode (the local cluster's default; PGHA_SYNC_MODE=false turns it off). */
    public boolean syncMode() {
        for (int n = 1; n <= 3; n++) {
            try {
                return JSON.readTree(get("http://" + addr(n) + ":8008/config").body()).path("synchronous_mode").asBoolean(false);
            } catch (IOException | RuntimeException e) {
                // try the next node
            }
        }
        return true;
    }

    public HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET().build());
    }

    public HttpResponse<String> post(String url, String json) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build());
    }

    private HttpResponse<String> send(HttpRequest req) {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(req.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int agentCheckPort() {
        return Integer.parseInt(env("AGENT_CHECK_PORT"));
    }

    public int agentHttpPort() {
        return Integer.parseInt(env("AGENT_HTTP_PORT"));
    }

    /** The PID of one of node N's processes (patroni, postgres, etcd, agent), from pgha-local. */
    public long pid(int node, String what) {
        Result r = run("pid", String.valueOf(node), what);
        if (r.exit() != 0) {
            throw new IllegalStateException(r.stderr().strip());
        }
        return Long.parseLong(r.stdout().strip());
    }

    public void signal(long pid, String signal) {
        Result r = exec(Map.of(), List.of("kill", "-" + signal, Long.toString(pid)));
        if (r.exit() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + pid + ": " + r.stderr());
        }
    }

    /** The address behind HAProxy 5000 when it takes writes, else null. */
    public String writerAddress() {
        try (Connection c = viaHaproxy(5000); var s = c.createStatement();
             var rs = s.executeQuery("select pg_is_in_recovery(), host(inet_server_addr())")) {
            rs.next();
            return rs.getBoolean(1) ? null : rs.getString(2);
        } catch (SQLException e) {
            return null;
        }
    }

    /**
     * Waits for a leader with two streaming replicas, one of them named synchronous standby: the state
     * every test starts from and leaves. In synchronous mode Patroni promotes only that standby, so a
     * leader crash before it is named (a loop or two after a switchover) would leave no leader at all.
     */
    public void awaitHealthy(Duration limit) {
        await("a leader with two streaming replicas and a synchronous standby", limit, () -> {
            String leader = leaderName();
            if (leader == null) {
                return null;
            }
            boolean named = !syncMode();
            for (JsonNode m : patroniCluster().path("members")) {
                named |= "sync_standby".equals(m.path("role").asText()) && runningOrStreaming(m);
            }
            if (!named) {
                return null;
            }
            try (Connection c = node(nodeOf(leader)); var s = c.createStatement();
                 var rs = s.executeQuery("select count(*) from pg_stat_replication where state = 'streaming'")) {
                rs.next();
                return rs.getLong(1) == 2 ? true : null;
            } catch (SQLException e) {
                return null;
            }
        });
    }

    /** Polls until the supplier gives a non-null value or the time is up; fails with the description. */
    public static <T> T await(String what, Duration limit, Supplier<T> probe) {
        long deadline = System.nanoTime() + limit.toNanos();
        Throwable lastError = null;
        while (System.nanoTime() < deadline) {
            try {
                T v = probe.get();
                if (v != null) {
                    return v;
                }
            } catch (RuntimeException e) {
                lastError = e;
            }
            sleep(200);
        }
        throw new AssertionError("timed out after " + limit.toSeconds() + "s waiting for " + what
                + (lastError != null ? " (last error: " + lastError.getMessage() + ")" : ""));
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
