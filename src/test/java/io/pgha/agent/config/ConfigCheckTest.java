package io.pgha.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real mapping, built from plain properties, so defaults and names are tested as operators see them. */
public class ConfigCheckTest {

    public static AgentConfig config(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(Map.of("pgha.node-name", "node1"));
        props.putAll(extra);
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(AgentConfig.class)
                // Quarkus's "1s"/"500ms" duration syntax; plain SmallRye only knows ISO-8601.
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(props, "test", 100))
                .build();
        return config.getConfigMapping(AgentConfig.class);
    }

    @Test
    void defaultsAreValid() {
        AgentConfig c = config(Map.of());
        assertEquals(List.of(), ConfigCheck.problems(c));
        assertEquals("postgres-ha", c.scope());
        assertEquals("/service", c.namespace());
        assertEquals("http://127.0.0.1:8008", c.patroni().url());
        assertEquals("postgres", c.postgres().user());
        assertEquals(5480, c.agentCheck().port());
        assertEquals("0.0.0.0", c.agentCheck().host());
        assertEquals(Duration.ofSeconds(1), c.loop().interval());
        assertEquals(Duration.ofSeconds(5), c.etcd().maxUnreadable());
        assertEquals("maint", c.maintenance().mode());
    }

    @Test
    void endpointsAreACommaList() {
        AgentConfig c = config(Map.of("pgha.etcd.endpoints", "http://10.0.0.1:2379,http://10.0.0.2:2379"));
        assertEquals(List.of("http://10.0.0.1:2379", "http://10.0.0.2:2379"), c.etcd().endpoints());
    }

    @Test
    void probeTimeoutMustFitInTheInterval() {
        List<String> p = ConfigCheck.problems(config(Map.of("pgha.loop.interval", "500ms",
                "pgha.loop.probe-timeout", "600ms")));
        assertTrue(p.stream().anyMatch(s -> s.startsWith("pgha.loop.probe-timeout [PGHA_LOOP_PROBE_TIMEOUT]")), p::toString);
    }

    @Test
    void theReconnectGraceMustStayBelowTheHardLag() {
        List<String> p = ConfigCheck.problems(config(Map.of("pgha.lag.reconnect-grace", "30s")));
        assertTrue(p.stream().anyMatch(s -> s.startsWith("pgha.lag.reconnect-grace [PGHA_LAG_RECONNECT_GRACE]")
                && s.contains("below pgha.lag.hard-seconds")), p::toString);
        assertEquals(List.of(), ConfigCheck.problems(config(Map.of("pgha.lag.reconnect-grace", "0s"))));
    }

    @Test
    void anEmptyAdminTokenMeansNoneAsComposeRendersAnUnsetOne() {
        AgentConfig c = config(Map.of("pgha.admin.token", ""));
        assertEquals(List.of(), ConfigCheck.problems(c));
        assertTrue(c.admin().token().isEmpty());
    }

    /** Both the watcher's confirm pace and its read bound must leave the fence its grace (max-unreadable). */
    @ParameterizedTest
    @ValueSource(strings = {"confirm-interval", "confirm-timeout"})
    void theWatchersConfirmationMustFitInTheFencingGrace(String setting) {
        String key = "pgha.gossip." + setting;
        String env = "PGHA_GOSSIP_" + setting.toUpperCase().replace('-', '_');
        List<String> p = ConfigCheck.problems(config(Map.of(key, "5s")));
        assertTrue(p.stream().anyMatch(s -> s.startsWith(key + " [" + env + "]")
                && s.contains("pgha.etcd.max-unreadable")), p::toString);
        assertEquals(List.of(), ConfigCheck.problems(config(Map.of(key, "5s", "pgha.etcd.max-unreadable", "8s"))));
    }

    @Test
    void aSlowConfirmPaceIsFineWithoutTheWatcher() {
        assertEquals(List.of(), ConfigCheck.problems(config(Map.of("pgha.gossip.confirm-interval", "5s",
                "pgha.gossip.enabled", "false"))));
    }

    @Test
    void badValuesNameTheSettingAndItsEnvVariable() {
        List<String> p = ConfigCheck.problems(config(Map.of(
                "pgha.patroni.url", "localhost:8008",
                "pgha.postgres.url", "postgresql://x",
                "pgha.etcd.endpoints", "10.0.0.1:2379",
                "pgha.lag.soft-bytes", "100",
                "pgha.maintenance.mode", "off",
                "pgha.agent-check.port", "70000")));
        String all = String.join("\n", p);
        for (String expected : List.of("pgha.patroni.url [PGHA_PATRONI_URL]", "pgha.postgres.url [PGHA_POSTGRES_URL]",
                "pgha.etcd.endpoints [PGHA_ETCD_ENDPOINTS]", "pgha.lag.weight-start-bytes [PGHA_LAG_WEIGHT_START_BYTES]",
                "pgha.maintenance.mode [PGHA_MAINTENANCE_MODE]", "pgha.agent-check.port [PGHA_AGENT_CHECK_PORT]")) {
            assertTrue(all.contains(expected), () -> expected + " missing in\n" + all);
        }
    }

    @Test
    void theWatchdogMarginMustCoverAChecksRoundAndStayUnderTheTtl() {
        assertEquals(List.of(), ConfigCheck.problems(config(Map.of("pgha.watchdog.enabled", "true"))));
        List<String> tight = ConfigCheck.problems(config(Map.of("pgha.watchdog.safety-margin", "2s")));
        assertEquals(List.of("pgha.watchdog.safety-margin [PGHA_WATCHDOG_SAFETY_MARGIN] must be between two intervals "
                + "plus the lease timeout (PT2.5S) and 15s (Patroni's ttl is at least 20s), got PT2S"), tight);
        List<String> wide = ConfigCheck.problems(config(Map.of("pgha.watchdog.safety-margin", "20s")));
        assertTrue(wide.get(0).startsWith("pgha.watchdog.safety-margin"), wide::toString);
        List<String> slow = ConfigCheck.problems(config(Map.of("pgha.watchdog.lease-timeout", "1s")));
        assertTrue(slow.get(0).startsWith("pgha.watchdog.lease-timeout [PGHA_WATCHDOG_LEASE_TIMEOUT]"), slow::toString);
        List<String> noGossip = ConfigCheck.problems(config(Map.of("pgha.watchdog.enabled", "true",
                "pgha.gossip.enabled", "false")));
        assertTrue(noGossip.get(0).startsWith("pgha.watchdog.enabled [PGHA_WATCHDOG_ENABLED] needs pgha.gossip.enabled"),
                noGossip::toString);
    }

    @Test
    void unreadablePasswordFileIsNamed() {
        List<String> p = ConfigCheck.problems(config(Map.of("pgha.postgres.password-file", "/nonexistent/pw")));
        assertTrue(p.get(0).contains("pgha.postgres.password-file [PGHA_POSTGRES_PASSWORD_FILE]"), p::toString);
    }

    @Test
    void aShortOrUnreadableAdminTokenIsNamedWithoutShowingIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws java.io.IOException {
        List<String> shortInline = ConfigCheck.problems(config(Map.of("pgha.admin.token", "tooshort")));
        assertEquals(List.of("pgha.admin.token [PGHA_ADMIN_TOKEN] must be at least 16 characters"), shortInline);
        java.nio.file.Path f = java.nio.file.Files.writeString(tmp.resolve("token"), "short-in-file\n");
        List<String> shortFile = ConfigCheck.problems(config(Map.of("pgha.admin.token-file", f.toString())));
        assertEquals(List.of("pgha.admin.token-file [PGHA_ADMIN_TOKEN_FILE] must hold a token of at least 16 "
                + "characters"), shortFile);
        List<String> missing = ConfigCheck.problems(config(Map.of("pgha.admin.token-file", "/nonexistent/t")));
        assertEquals(List.of("pgha.admin.token-file [PGHA_ADMIN_TOKEN_FILE] cannot read /nonexistent/t"), missing);
    }
}
