package io.pgha.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static io.pgha.it.LocalCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The status page in headless Chromium: it lists the three members with the right leader, and HAProxy's view
 * from the hook (published in etcd, shown on an agent's page) with the leader the only UP server in backend
 * primary; after a switchover both show the new leader without a reload, and the hook's pushes name it.
 * Screenshots go to target/status-page*.png.
 */
class StatusPageIT {
    /** member:role for every row of the members table, e.g. "patroni1:leader,patroni2:replica". */
    private static final String ROWS = "[...document.querySelectorAll('#members tbody tr')]"
            + ".map(r => r.dataset.member + ':' + r.querySelector('.role').textContent).join(',')";
    /** server:STATE for every row of the HAProxy section's backend primary, e.g. "patroni1:UP,patroni2:DOWN". */
    private static final String PRIMARY = "[...document.querySelectorAll('#haproxy table[data-backend=\"primary\"] tbody tr')]"
            + ".map(r => r.dataset.server + ':' + r.dataset.state).join(',')";
    /** The hook's pushes the page lists, as "<last sent, hook's epoch ms> <time> <command> <reason>" lines. */
    private static final String PUSHES = "[...document.querySelectorAll('#haproxy .hook-actions li')]"
            + ".map(li => li.dataset.at + ' ' + li.textContent).join('\\n')";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalCluster cluster;

    @BeforeAll
    static void cluster() {
        cluster = LocalCluster.fromEnvironment();
        cluster.awaitHealthy(Duration.ofSeconds(120));
    }

    @Test
    void theLiveStatusPageFollowsASwitchoverWithoutAReload() throws Exception {
        String leader = cluster.leaderName();
        try (Chromium page = Chromium.open("http://" + cluster.addr(1) + ":" + cluster.agentHttpPort() + "/ui/")) {
            String rows = await("the page to list three members with " + leader + " as leader", Duration.ofSeconds(20), () -> {
                try {
                    String r = page.eval(ROWS);
                    return r.split(",").length == 3 && r.contains(leader + ":leader") ? r : null;
                } catch (Exception e) {
                    return null;
                }
            });
            assertEquals(1, java.util.Arrays.stream(rows.split(",")).filter(r -> r.endsWith(":leader")).count(),
                    "exactly one leader row: " + rows);
            String primary = await("the HAProxy section to list three servers in backend primary with " + leader + " UP",
                    Duration.ofSeconds(20), () -> evalOrNull(page, PRIMARY, r -> r.split(",").length == 3
                            && r.contains(leader + ":UP")));
            assertEquals(1, java.util.Arrays.stream(primary.split(",")).filter(r -> r.endsWith(":UP")).count(),
                    "only the leader may be UP in backend primary: " + primary);
            String note = page.eval("document.querySelector('#haproxy .hook .summary').textContent");
            assertTrue(note.contains("read HAProxy") && !note.contains("FAILING") && !note.contains("STALE"), note);
            long pushedBefore = newestPush(page.eval(PUSHES));
            String loadId = page.eval("String(performance.timeOrigin)");
            page.screenshot(Path.of("target", "status-page-before.png"));

            String candidate = cluster.syncStandby();
            var resp = cluster.post("http://" + cluster.addr(cluster.nodeOf(leader)) + ":8008/switchover",
                    "{\"leader\":\"" + leader + "\",\"candidate\":\"" + candidate + "\"}");
            assertEquals(200, resp.statusCode(), resp.body());
            await("the page to show " + candidate + " as leader", Duration.ofSeconds(30), () -> {
                try {
                    return page.eval(ROWS).contains(candidate + ":leader") ? true : null;
                } catch (Exception e) {
                    return null;
                }
            });
            String after = await("the HAProxy section to show " + candidate + " UP and " + leader + " no longer UP in primary",
                    Duration.ofSeconds(30), () -> evalOrNull(page, PRIMARY, r -> r.split(",").length == 3
                            && r.contains(candidate + ":UP") && !r.contains(leader + ":UP")));
            assertEquals(1, java.util.Arrays.stream(after.split(",")).filter(r -> r.endsWith(":UP")).count(), after);
            // The hook pushes the switchover (HookIT proves it does): a push sent after the ones listed before,
            // in backend primary, with a reason naming the new leader.
            String pushes = await("the hook's pushes for " + candidate + " to be listed", Duration.ofSeconds(15),
                    () -> evalOrNull(page, PUSHES, t -> t.lines().anyMatch(l -> newestPush(l) > pushedBefore
                            && l.contains("set server primary/") && l.contains(candidate))));
            assertTrue(pushes.lines().filter(l -> newestPush(l) > pushedBefore && l.contains("server primary/"))
                    .allMatch(l -> l.contains("leader")), "each push in primary shows its reason (about the leader): "
                    + pushes);
            assertEquals(loadId, page.eval("String(performance.timeOrigin)"), "the page was reloaded");
            assertTrue(page.eval("document.querySelector('#summary').textContent").contains("Leader " + candidate));
            Path shot = Path.of("target", "status-page.png");
            page.screenshot(shot);
            assertTrue(Files.size(shot) > 10_000, "screenshot too small to show anything");
        }
        cluster.awaitHealthy(Duration.ofSeconds(90));
    }

    /** GET /hook: the hook serves HAProxy's view without the admin socket's path; an agent answers 404. */
    @Test
    void theHookServesHaproxysViewAndAnAgentDoesNot() throws Exception {
        String hookUrl = cluster.env("HOOK_URL");
        JsonNode view = await("the hook's GET /hook to show HAProxy's servers", Duration.ofSeconds(20), () -> {
            var r = cluster.get(hookUrl + "/hook");
            try {
                JsonNode n = r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
                return n != null && n.path("socketOk").asBoolean() && n.path("servers").size() >= 3 ? n : null;
            } catch (java.io.IOException e) {
                return null;
            }
        });
        long primaries = 0;
        for (JsonNode s : view.path("servers")) {
            primaries += "primary".equals(s.path("backend").asText()) ? 1 : 0;
        }
        assertEquals(3, primaries, view.toString());
        assertFalse(view.toString().contains(cluster.env("HAPROXY_ADMIN_SOCKET")), "the socket path is shown: " + view);
        var agent = cluster.get("http://" + cluster.addr(1) + ":" + cluster.agentHttpPort() + "/hook");
        assertEquals(404, agent.statusCode(), agent.body());
    }

    /** The newest "last sent" time among PUSHES lines, 0 for none. */
    private static long newestPush(String pushes) {
        return pushes.lines().map(l -> l.split(" ", 2)[0]).filter(x -> x.matches("\\d+")).mapToLong(Long::parseLong)
                .max().orElse(0);
    }

    private static String evalOrNull(Chromium page, String expression, java.util.function.Predicate<String> ok) {
        try {
            String r = page.eval(expression);
            return ok.test(r) ? r : null;
        } catch (Exception e) {
            return null;
        }
    }
}
