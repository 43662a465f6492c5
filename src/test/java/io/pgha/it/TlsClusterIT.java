package io.pgha.it;

import static io.pgha.it.LocalCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.agent.haproxy.AgentCheckClient;
import io.pgha.agent.security.PemTrust;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local cluster in TLS mode (a second cluster, instance 8, beside the one the other tests use): etcd
 * with client-certificate auth, Patroni's REST API over https, PostgreSQL TLS-only. The agents must work
 * against all of it with verification on (etcd client certificate, Patroni CA, sslmode=verify-full), and
 * the plain-text doors must really be shut, or the test would prove nothing about TLS.
 */
class TlsClusterIT {
    private static final Map<String, String> TLS_ENV = Map.of("PGHA_INSTANCE", "8", "PGHA_TLS", "on",
            "PGHA_BACKUP_SCHEDULE", "0 0 0 1 1 ? 2099");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalCluster cluster;
    private static Path tls;

    @BeforeAll
    static void up() {
        LocalCluster.Result r = LocalCluster.exec(TLS_ENV, List.of(LocalCluster.script().toString(), "up"));
        assertEquals(0, r.exit(), () -> "TLS cluster did not come up:\n" + r.stdout() + r.stderr());
        cluster = LocalCluster.withEnv(TLS_ENV);
        assertEquals("on", cluster.env("PGHA_TLS"));
        tls = Path.of(cluster.env("TLS_DIR"));
    }

    @AfterAll
    static void down() {
        LocalCluster.exec(TLS_ENV, List.of(LocalCluster.script().toString(), "down", "--wipe"));
    }

    /** Each agent's verdicts need all three of its TLS clients: the leader key (etcd), Patroni, PostgreSQL. */
    @Test
    void agentsAnswerFromTlsProbesOneLeaderUpTwoReplicasUp() {
        List<String> primary = await("one agent to say up for primary and two for replica", Duration.ofSeconds(60), () -> {
            List<String> up = new ArrayList<>();
            int replicas = 0;
            for (int n = 1; n <= 3; n++) {
                String p = ask(n, "primary\n");
                if (p.startsWith("up")) {
                    up.add(cluster.name(n));
                }
                if (ask(n, "replica\n").startsWith("up")) {
                    replicas++;
                }
            }
            return up.size() == 1 && replicas == 2 ? up : null;
        });
        assertEquals(cluster.leaderNameOver(patroniHttps()), primary.get(0));
        for (int n = 1; n <= 3; n++) {
            JsonNode status = agentStatus(n);
            String text = status.toString();
            assertFalse(text.contains("PKIX") || text.contains("SSLHandshake") || text.contains("certificate"),
                    "node " + n + " /status shows a TLS failure: " + text);
        }
    }

    /** The gossip (lease-bound keys, watches) runs over the same client-certificate connection. */
    @Test
    void gossipOverTlsListsAllThreeAgents() {
        JsonNode view = await("node 1's /cluster to list three agents", Duration.ofSeconds(30), () -> {
            JsonNode v = getJson("http://" + cluster.addr(1) + ":" + cluster.agentHttpPort() + "/cluster");
            return v != null && v.path("agents").size() == 3 ? v : null;
        });
        assertEquals(3, view.path("agents").size(), view::toString);
    }

    @Test
    void etcdRefusesAClientWithoutCertificate() {
        String endpoint = "https://" + cluster.addr(1) + ":2379";
        LocalCluster.Result without = LocalCluster.exec(Map.of("ETCDCTL_API", "3"), List.of("etcdctl",
                "--endpoints=" + endpoint, "--cacert=" + tls.resolve("ca.crt"), "--command-timeout=3s", "get", "x"));
        assertNotEquals(0, without.exit(), "etcd answered a client without a certificate: " + without.stdout());
        LocalCluster.Result with = LocalCluster.exec(Map.of("ETCDCTL_API", "3"), List.of("etcdctl",
                "--endpoints=" + endpoint, "--cacert=" + tls.resolve("ca.crt"), "--cert=" + tls.resolve("client.crt"),
                "--key=" + tls.resolve("client.key"), "--command-timeout=3s", "get", "x"));
        assertEquals(0, with.exit(), () -> "etcd refused the client certificate: " + with.stderr());
    }

    @Test
    void patroniAnswersHttpsOnlyAndHaproxyChecksItOverTls() throws Exception {
        String leader = cluster.addr(cluster.nodeOf(cluster.leaderNameOver(patroniHttps())));
        HttpResponse<String> https = patroniHttps().send(HttpRequest.newBuilder(URI.create("https://" + leader + ":8008/primary"))
                .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, https.statusCode());
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        assertThrows(IOException.class, () -> plain.send(HttpRequest.newBuilder(URI.create("http://" + leader + ":8008/primary"))
                .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString()));
        // HAProxy's checks of /primary go over check-ssl: if they failed, 5000 would have no server.
        try (Connection c = await("HAProxy 5000 to route to the leader", Duration.ofSeconds(30), () -> {
            try {
                return cluster.viaHaproxy(5000);
            } catch (SQLException e) {
                return null;
            }
        }); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select pg_is_in_recovery(), host(inet_server_addr())")) {
            assertTrue(rs.next());
            assertFalse(rs.getBoolean(1));
            assertEquals(leader, rs.getString(2));
        }
    }

    /** pg_hba is hostssl-only, and every TCP session on the leader (the agents' included) is encrypted. */
    @Test
    void postgresIsTlsOnlyAndTheAgentsConnectionsAreEncrypted() throws SQLException {
        String leader = cluster.addr(cluster.nodeOf(cluster.leaderNameOver(patroniHttps())));
        SQLException refused = assertThrows(SQLException.class, () -> connect(leader, "disable").close());
        assertTrue(refused.getMessage().contains("no encryption") || refused.getMessage().contains("pg_hba"),
                refused.getMessage());
        try (Connection c = connect(leader, "verify-full"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) filter (where s.ssl), count(*) from pg_stat_activity a "
                        + "join pg_stat_ssl s using (pid) where a.application_name = 'pgha-agent'")) {
            assertTrue(rs.next());
            assertTrue(rs.getLong(2) >= 1, "no agent session on the leader");
            assertEquals(rs.getLong(2), rs.getLong(1), "an agent session without TLS");
        }
    }

    private static Connection connect(String host, String sslmode) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", cluster.secret("SUPERUSER_PASSWORD"));
        p.setProperty("connectTimeout", "3");
        p.setProperty("sslmode", sslmode);
        p.setProperty("sslrootcert", tls.resolve("ca.crt").toString());
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":5432/postgres", p);
    }

    private static HttpClient patroniHttps() {
        // TLS 1.2 as the agent uses it: under TLS 1.3 the JDK's client waits on Patroni 3.0.2 (see PatroniTls).
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, PemTrust.trusting(tls.resolve("ca.crt")).getTrustManagers(), null);
            SSLParameters params = ctx.getDefaultSSLParameters();
            params.setProtocols(new String[] {"TLSv1.2"});
            return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).sslContext(ctx).sslParameters(params).build();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String ask(int node, String role) {
        try {
            return AgentCheckClient.ask(cluster.addr(node), cluster.agentCheckPort(), role, 2000);
        } catch (IOException e) {
            return "no answer: " + e;
        }
    }

    private static JsonNode agentStatus(int node) {
        JsonNode s = getJson("http://" + cluster.addr(node) + ":" + cluster.agentHttpPort() + "/status");
        assertTrue(s != null, "node " + node + " /status did not answer");
        return s;
    }

    private static JsonNode getJson(String url) {
        try {
            HttpResponse<String> r = cluster.get(url);
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
