package io.pgha.it;

import static io.pgha.it.LocalCluster.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the backup ITs share: agent restarts with backup settings, the agents' /backups, SQL and pgbench. */
final class BackupFixture {
    static final String BIN = "/usr/lib/postgresql/15/bin";
    private static final ObjectMapper JSON = new ObjectMapper();

    final LocalCluster cluster;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    BackupFixture(LocalCluster cluster) {
        this.cluster = cluster;
    }

    Path script() {
        return Path.of(System.getProperty("pgha.repo", "."), "deploy", "local", "pgha-local").toAbsolutePath();
    }

    /** Restarts the three agents with extra PGHA_BACKUP_* env (empty: the local cluster's defaults). */
    void restartAgents(Map<String, String> env) {
        for (int n = 1; n <= 3; n++) {
            restartAgent(n, env);
        }
        for (int n = 1; n <= 3; n++) {
            int node = n;
            await("agent " + n + " to serve /backups", Duration.ofSeconds(60),
                    () -> status(node) == 200 ? true : null);
        }
    }

    void restartAgent(int n, Map<String, String> env) {
        LocalCluster.exec(env, List.of(script().toString(), "stop-node", String.valueOf(n), "agent"));
        LocalCluster.Result r = LocalCluster.exec(env, List.of(script().toString(), "start-node", String.valueOf(n),
                "agent"));
        if (r.exit() != 0) {
            throw new IllegalStateException("start-node " + n + " agent: " + r.stderr());
        }
    }

    String base(int n) {
        return "http://" + cluster.addr(n) + ":" + cluster.agentHttpPort();
    }

    int status(int n) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base(n) + "/backups")).timeout(Duration.ofSeconds(3))
                    .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    JsonNode backups(int n) {
        try {
            return JSON.readTree(cluster.get(base(n) + "/backups").body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Good manifests a node lists, in listing order. */
    List<JsonNode> good(int n) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode b : backups(n).path("backups")) {
            if (b.path("good").asBoolean()) {
                out.add(b.path("manifest"));
            }
        }
        return out;
    }

    HttpResponse<String> post(int n, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base(n) + path)).timeout(Duration.ofMinutes(6))
                    .header("Authorization", "Bearer " + cluster.secret("PGHA_ADMIN_TOKEN"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int leader() {
        String name = await("a leader", Duration.ofSeconds(60), cluster::leaderName);
        return cluster.nodeOf(name);
    }

    Connection connect(int node, String database) throws SQLException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", cluster.secret("SUPERUSER_PASSWORD"));
        p.setProperty("connectTimeout", "3");
        p.setProperty("socketTimeout", "300");
        return java.sql.DriverManager.getConnection("jdbc:postgresql://" + cluster.addr(node) + ":5432/" + database, p);
    }

    void sql(int node, String database, String statement) throws SQLException {
        try (Connection c = connect(node, database); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    long scalar(int node, String database, String query) throws SQLException {
        try (Connection c = connect(node, database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    /** Per ordinary table: row count and md5 over the md5 of every row, in a stable order. */
    Map<String, String> fingerprint(int node, String database) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Connection c = connect(node, database); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT format('%I.%I', schemaname, tablename) FROM pg_tables "
                    + "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                try (ResultSet rs = s.executeQuery("SELECT count(*), md5(coalesce(string_agg(h, '' ORDER BY h), '')) "
                        + "FROM (SELECT md5(x::text) h FROM " + t + " x) r")) {
                    rs.next();
                    out.put(t, rs.getLong(1) + " rows, md5 " + rs.getString(2));
                }
            }
        }
        return out;
    }

    LocalCluster.Result tool(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(BIN + "/" + args[0]);
        cmd.addAll(List.of(args).subList(1, args.length));
        return LocalCluster.exec(Map.of("PGPASSWORD", cluster.secret("SUPERUSER_PASSWORD")), cmd);
    }

    /** A pgbench database of the given scale on the leader, unless one of that size is already there. */
    void pgbench(String database, int scale) throws SQLException {
        int leader = leader();
        try {
            if (scalar(leader, database, "SELECT count(*) FROM pgbench_branches") == scale) {
                return;
            }
        } catch (SQLException e) {
            // no such database or table yet
        }
        sql(leader, "postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        sql(leader, "postgres", "CREATE DATABASE " + database);
        LocalCluster.Result r = tool("pgbench", "-i", "-q", "-s", String.valueOf(scale), "-h", cluster.addr(leader),
                "-U", "postgres", database);
        if (r.exit() != 0) {
            throw new IllegalStateException("pgbench -i: " + r.stderr());
        }
    }

    /** The node's backup directory as the agent sees it (the IT runs as root on the same machine). */
    Path dir(int n) {
        return Path.of(cluster.env("PGHA_STATE_DIR"), "node" + n, "backups");
    }
}
