package io.pgha.it;

import static io.pgha.it.LocalCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Status gossip on the real local cluster: every agent and the hook serve the same view at GET /cluster; it
 * keeps updating with any one etcd member stopped; garbage written into the agents' keys does not disturb it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GossipIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AGENTS = "/pgha/postgres-ha/agents/";
    private static final String HOOKS = "/pgha/postgres-ha/hook/";
    private static LocalCluster cluster;

    @BeforeAll
    static void cluster() {
        cluster = LocalCluster.fromEnvironment();
        cluster.awaitHealthy(Duration.ofSeconds(120));
    }

    @AfterAll
    static void cleanUp() {
        etcdctl("del", AGENTS + "itprobe");
        etcdctl("del", AGENTS + "intruder");
        etcdctl("del", HOOKS + "intruder");
        for (int n = 1; n <= 3; n++) {
            cluster.run("start-node", String.valueOf(n), "etcd");
        }
    }

    static List<String> viewUrls() {
        List<String> urls = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            urls.add("http://" + cluster.addr(n) + ":" + cluster.agentHttpPort() + "/cluster");
        }
        urls.add(cluster.env("HOOK_URL") + "/cluster");
        return urls;
    }

    static JsonNode view(String url) {
        try {
            var r = cluster.get(url);
            assertEquals(200, r.statusCode(), url + ": " + r.body());
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static LocalCluster.Result etcdctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("etcdctl", "--endpoints=" + cluster.env("ETCD_ENDPOINTS"),
                "--command-timeout=3s"));
        cmd.addAll(List.of(args));
        return LocalCluster.exec(Map.of("ETCDCTL_API", "3"), cmd);
    }

    static String probeStatus(String marker) {
        return "{\"schema\":1,\"node\":\"itprobe\",\"agentVersion\":\"it\",\"updatedAtMillis\":1,\"role\":\"replica\","
                + "\"state\":\"" + marker + "\",\"someFutureField\":[1,2,3]}";
    }

    @Test
    @Order(1)
    void everyAgentAndTheHookServeTheSameView() {
        await("all views to name Patroni's leader and 3 agents", Duration.ofSeconds(20), () -> {
            String leader = cluster.leaderName();
            for (String url : viewUrls()) {
                JsonNode v = view(url);
                if (!v.path("leader").asText().equals(leader) || v.path("agents").size() != 3
                        || v.path("members").size() != 3) {
                    return null;
                }
                JsonNode own = v.path("agents").path(leader);
                // Right after a failover the leader's own verdict and the confirmation catch up within a loop or two.
                if (!"up".equals(own.path("verdicts").path("primary").path("word").asText()) || !v.path("confirmedAt").isTextual()) {
                    return null;
                }
            }
            return true;
        });
    }

    @Test
    @Order(2)
    void gossipKeepsFlowingWithAnyOneEtcdMemberStopped() {
        for (int stopped = 1; stopped <= 3; stopped++) {
            assertEquals(0, cluster.run("stop-node", String.valueOf(stopped), "etcd").exit());
            try {
                String marker = "etcd" + stopped + "-down";
                assertEquals(0, etcdctl("put", AGENTS + "itprobe", probeStatus(marker)).exit());
                final int s = stopped;
                await("every view to see the probe with etcd member " + s + " stopped", Duration.ofSeconds(15), () -> {
                    for (String url : viewUrls()) {
                        if (!marker.equals(view(url).path("agents").path("itprobe").path("state").asText())) {
                            return null;
                        }
                    }
                    return true;
                });
                assertEquals(0, etcdctl("del", AGENTS + "itprobe").exit());
                await("every view to drop the probe", Duration.ofSeconds(15), () -> {
                    for (String url : viewUrls()) {
                        if (view(url).path("agents").has("itprobe")) {
                            return null;
                        }
                    }
                    return true;
                });
            } finally {
                assertEquals(0, cluster.run("start-node", String.valueOf(stopped), "etcd").exit());
            }
            await("etcd quorum of 3 again", Duration.ofSeconds(30),
                    () -> etcdctl("endpoint", "health").exit() == 0 ? true : null);
        }
    }

    @Test
    @Order(3)
    void garbageInTheAgentsKeysIsSkippedAndRepaired() {
        String victim = cluster.name(1);
        Map<String, Long> skippedBefore = new java.util.HashMap<>();
        for (String url : viewUrls()) {
            skippedBefore.put(url, view(url).path("skipped").asLong());
        }
        assertEquals(0, etcdctl("put", AGENTS + victim, "{garbage").exit());
        assertEquals(0, etcdctl("put", AGENTS + "intruder", "[\"not\",\"a\",\"status\"]").exit());
        await("every view to count the garbage and keep its facts", Duration.ofSeconds(10), () -> {
            for (String url : viewUrls()) {
                JsonNode v = view(url);
                if (v.path("skipped").asLong() < skippedBefore.get(url) + 2) {
                    return null;
                }
                assertEquals(victim, v.path("agents").path(victim).path("node").asText(), url);
                assertTrue(!v.path("agents").has("intruder"), url);
                assertEquals(cluster.leaderName(), v.path("leader").asText(), url);
            }
            return true;
        });
        // The victim's agent sees its key hold what it did not write, and rewrites it.
        await(victim + "'s agent to rewrite its key", Duration.ofSeconds(10), () -> {
            String value = etcdctl("get", "--print-value-only", AGENTS + victim).stdout();
            return value.contains("\"node\":\"" + victim + "\"") ? true : null;
        });
        assertEquals(0, etcdctl("del", AGENTS + "intruder").exit());
    }

    /**
     * A hook's view of HAProxy is shown on every page; garbage under the hooks' prefix must show as unreadable
     * (never as an old state, never crashing a watcher), and the hook rewrites its own key when it sees it.
     */
    @Test
    @Order(3)
    void garbageInTheHooksKeysShowsAsUnreadableAndTheHookRepairsItsOwn() {
        assertEquals(0, etcdctl("put", HOOKS + "intruder", "[\"not\",\"a\",\"view\"]").exit());
        assertEquals(0, etcdctl("put", HOOKS + "hook", "{garbage").exit());
        await("every view to list the intruder as unreadable", Duration.ofSeconds(15), () -> {
            for (String url : viewUrls()) {
                JsonNode v = view(url);
                if (!v.path("hooks").path("intruder").path("unreadable").asText().contains("not valid JSON")) {
                    return null;
                }
                assertEquals(0, v.path("hooks").path("intruder").path("servers").size(), url);
                assertEquals(cluster.leaderName(), v.path("leader").asText(), url);
            }
            return true;
        });
        await("the hook to rewrite its key and every view to read HAProxy's servers again", Duration.ofSeconds(15), () -> {
            for (String url : viewUrls()) {
                JsonNode h = view(url).path("hooks").path("hook");
                if (!h.path("socketOk").asBoolean() || h.path("servers").size() < 3 || h.has("unreadable")) {
                    return null;
                }
            }
            return true;
        });
        assertEquals(0, etcdctl("del", HOOKS + "intruder").exit());
    }

    @Test
    @Order(4)
    void afterAnEtcdQuorumLossEveryAgentRepublishesOnANewLease() throws Exception {
        List<Integer> logStarts = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            logStarts.add(agentLog(n).length());
        }
        // 5 s without quorum: longer than the lease TTL and the keep-alive interval, shorter than Patroni's
        // retry_timeout (10 s), so the leader keeps its lock and nothing but the gossip notices.
        assertEquals(0, cluster.run("stop-node", "2", "etcd").exit());
        assertEquals(0, cluster.run("stop-node", "3", "etcd").exit());
        Thread.sleep(5000);
        assertEquals(0, cluster.run("start-node", "2", "etcd").exit());
        assertEquals(0, cluster.run("start-node", "3", "etcd").exit());
        for (int n = 1; n <= 3; n++) {
            final int node = n;
            await("agent " + n + " to republish on a new lease", Duration.ofSeconds(30), () ->
                    agentLog(node).substring(logStarts.get(node - 1))
                            .matches("(?s).*gossip: lease lost or etcd was unreachable: grant a new lease and republish"
                                    + ".*gossip: published /pgha/postgres-ha/agents/" + cluster.name(node) + " on new lease.*")
                            ? true : null);
        }
        await("every view to hold 3 agents again", Duration.ofSeconds(20), () -> {
            for (String url : viewUrls()) {
                if (view(url).path("agents").size() != 3) {
                    return null;
                }
            }
            return true;
        });
    }

    static String agentLog(int n) {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(cluster.env("PGHA_STATE_DIR"),
                    "node" + n, "log", "agent.log"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
