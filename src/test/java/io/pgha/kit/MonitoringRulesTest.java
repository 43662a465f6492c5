package io.pgha.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The alert rules parse, fire on synthetic series, and the dashboard is valid Grafana JSON. */
public class MonitoringRulesTest {
    static final Path MONITORING = Kit.DEPLOY.resolve("monitoring");
    private static final Pattern METRIC = Pattern.compile("\\bpgha_[a-z_]+\\b");

    private static String run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + String.join(" ", cmd));
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
        return out;
    }

    @Test
    void promtoolChecksTheRules() throws Exception {
        Kit.requireTool("promtool", "prometheus");
        assertTrue(run(MONITORING, "promtool", "check", "rules", "pgha-alerts.yml").contains("SUCCESS: 15 rules found"));
    }

    @Test
    void everyAlertFiresInItsUnitTest() throws Exception {
        Kit.requireTool("promtool", "prometheus");
        assertTrue(run(MONITORING, "promtool", "test", "rules", "pgha-alerts.test.yml").contains("SUCCESS"));
        String rules = Files.readString(MONITORING.resolve("pgha-alerts.yml"));
        String tests = Files.readString(MONITORING.resolve("pgha-alerts.test.yml"));
        Matcher m = Pattern.compile("- alert: (\\w+)").matcher(rules);
        while (m.find()) {
            assertTrue(tests.contains("alertname: " + m.group(1)), "no unit test fires " + m.group(1));
        }
    }

    @Test
    void aBrokenRuleIsCaught(@TempDir Path tmp) throws Exception {
        Kit.requireTool("promtool", "prometheus");
        // The test above is only worth something if promtool really fails on a wrong expectation.
        Files.writeString(tmp.resolve("pgha-alerts.yml"), Files.readString(MONITORING.resolve("pgha-alerts.yml"))
                .replace("pgha_snapshot_age_seconds > 3", "pgha_snapshot_age_seconds > 30"));
        Files.copy(MONITORING.resolve("pgha-alerts.test.yml"), tmp.resolve("pgha-alerts.test.yml"));
        Process p = new ProcessBuilder("promtool", "test", "rules", "pgha-alerts.test.yml").directory(tmp.toFile())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.exitValue() != 0 && out.contains("PghaSnapshotStale"), out);
    }

    @Test
    void theDashboardIsGrafanaJsonOnPghaMetrics() throws Exception {
        JsonNode d = new ObjectMapper().readTree(MONITORING.resolve("grafana-dashboard.json").toFile());
        assertEquals("pgha", d.path("title").asText());
        assertTrue(d.path("panels").size() >= 8, "panels: " + d.path("panels").size());
        for (JsonNode p : d.path("panels")) {
            String expr = p.path("targets").path(0).path("expr").asText();
            assertTrue(METRIC.matcher(expr).find(), "panel '" + p.path("title").asText() + "' has no pgha metric: " + expr);
        }
    }

    /** Every pgha_* metric name the rules and the dashboard use (what the live IT checks). */
    public static Set<String> metricNames() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String f : List.of("pgha-alerts.yml", "grafana-dashboard.json")) {
            Matcher m = METRIC.matcher(Files.readString(MONITORING.resolve(f)));
            while (m.find()) {
                names.add(m.group());
            }
        }
        return names;
    }
}
