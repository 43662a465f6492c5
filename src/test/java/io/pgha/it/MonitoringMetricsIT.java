package io.pgha.it;

import io.pgha.kit.MonitoringRulesTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every pgha_* metric the alert rules and the dashboard name is one that the agents or the hook of
 * the running local cluster really export, read from their live /q/metrics.
 */
class MonitoringMetricsIT {

    @Test
    void everyMetricInTheRulesAndDashboardIsExported() throws Exception {
        LocalCluster cluster = LocalCluster.fromEnvironment();
        StringBuilder exported = new StringBuilder();
        List<String> sources = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            sources.add("http://" + cluster.addr(n) + ":" + cluster.agentHttpPort() + "/q/metrics");
        }
        cluster.optionalEnv("HOOK_URL").ifPresent(u -> sources.add(u + "/q/metrics"));
        for (String url : sources) {
            var r = cluster.get(url);
            assertEquals(200, r.statusCode(), url);
            exported.append(r.body()).append('\n');
        }
        Set<String> names = MonitoringRulesTest.metricNames();
        assertTrue(names.size() >= 10, "too few metric names found: " + names);
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            if (!exported.toString().contains("\n" + name + "{") && !exported.toString().contains("\n" + name + " ")) {
                missing.add(name);
            }
        }
        assertEquals(List.of(), missing, "named in deploy/monitoring but exported by nobody (sources " + sources + ")");
    }
}
