package io.pgha.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgha.agent.gossip.ClusterView;
import io.pgha.agent.gossip.PatroniMember;
import io.pgha.agent.hook.ConfigRenderer;
import io.pgha.agent.hook.HookConfig;
import io.pgha.agent.hook.RuntimeApiClient;
import io.pgha.agent.metrics.AgentMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hook's re-render with the real {@code haproxy -c} and the real admin socket: a render that passes the
 * check replaces the config, dumps the server states and reloads; one that fails leaves the running config
 * byte for byte, runs no reload, and is counted.
 */
class RenderIT {

    static final String GOOD = """
            global
                log stdout format raw local0 info
            defaults
                mode tcp
                timeout connect 1s
                timeout client 1m
                timeout server 1m
            listen primary
                bind 127.0.0.1:65000
                # pgha:servers primary check port 8008
            """;

    static HookConfig.Render settings(Path dir) {
        return new HookConfig.Render() {
            public Optional<Path> template() { return Optional.of(dir.resolve("template.cfg")); }
            public Optional<Path> output() { return Optional.of(dir.resolve("haproxy.cfg")); }
            public String checkCommand() { return "haproxy -c -f {file}"; }
            public Optional<String> reloadCommand() { return Optional.of("touch " + dir.resolve("reloaded")); }
            public Optional<Path> serverStateFile() { return Optional.of(dir.resolve("server-state")); }
            public Duration commandTimeout() { return Duration.ofSeconds(10); }
            public Duration keepDeparted() { return Duration.ZERO; }
        };
    }

    static ClusterView view(String... hosts) {
        Map<String, PatroniMember> m = new java.util.HashMap<>();
        for (int i = 0; i < hosts.length; i++) {
            m.put("patroni" + (i + 1), new PatroniMember("patroni" + (i + 1), "replica", "running", hosts[i], 5432,
                    null, 1L, null));
        }
        return new ClusterView("postgres-ha", "patroni1", null, m, Map.of(), 1, 0, null);
    }

    @Test
    void aRenderThatFailsTheCheckLeavesTheRunningConfigUntouched(@TempDir Path dir) throws Exception {
        LocalCluster cluster = LocalCluster.fromEnvironment();
        HookConfig.Render s = settings(dir);
        List<String> events = new ArrayList<>();
        AgentMetrics metrics = new AgentMetrics() {
            public void probe(String t, Duration d, String o) { }
            public void snapshot(String r, Long l, Duration d) { }
            public void watchSnapshotAge(java.util.function.Supplier<Duration> a) { }
            public void agentReply(String r, String w) { }
            @Override public void hook(String kind, String outcome) { events.add(kind + ":" + outcome); }
        };
        RuntimeApiClient api = new RuntimeApiClient(Path.of(cluster.env("HAPROXY_ADMIN_SOCKET")), Duration.ofSeconds(2));
        Path out = s.output().get();

        Files.writeString(s.template().get(), GOOD);
        new ConfigRenderer(s.template().get(), out, s, api, metrics, java.time.Clock.systemUTC()).accept(view("10.0.0.11", "10.0.0.12"));
        String running = Files.readString(out);
        assertTrue(running.contains("server patroni2 10.0.0.12:5432 check port 8008"), running);
        assertTrue(Files.exists(dir.resolve("reloaded")), "a good render reloads");
        assertTrue(Files.readString(dir.resolve("server-state")).contains(" primary "), "states dumped first");
        assertEquals(List.of("render:reloaded"), events);

        Files.delete(dir.resolve("reloaded"));
        Files.writeString(s.template().get(), GOOD.replace("check port 8008", "check bogus-keyword 1"));
        new ConfigRenderer(s.template().get(), out, s, api, metrics, java.time.Clock.systemUTC())
                .accept(view("10.0.0.11", "10.0.0.12", "10.0.0.13"));
        assertEquals(running, Files.readString(out), "the running config must stay byte for byte");
        assertFalse(Files.exists(dir.resolve("reloaded")), "a rejected render must not reload");
        assertFalse(Files.exists(dir.resolve("haproxy.cfg.candidate")), "the rejected candidate is removed");
        assertEquals(List.of("render:reloaded", "render:rejected"), events);
        api.close();
    }
}
