package io.pgha.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static io.pgha.it.LocalCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The status page in headless Chromium: it lists the three members with the right leader, and after
 * a switchover shows the new leader without a reload. Screenshots go to target/status-page*.png.
 */
class StatusPageIT {
    /** member:role for every row of the members table, e.g. "patroni1:leader,patroni2:replica". */
    private static final String ROWS = "[...document.querySelectorAll('#members tbody tr')]"
            + ".map(r => r.dataset.member + ':' + r.querySelector('.role').textContent).join(',')";
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
            assertEquals(loadId, page.eval("String(performance.timeOrigin)"), "the page was reloaded");
            assertTrue(page.eval("document.querySelector('#summary').textContent").contains("Leader " + candidate));
            Path shot = Path.of("target", "status-page.png");
            page.screenshot(shot);
            assertTrue(Files.size(shot) > 10_000, "screenshot too small to show anything");
        }
        cluster.awaitHealthy(Duration.ofSeconds(90));
    }
}
