package io.pgha.kit;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** haproxy/haproxy.cfg passes "haproxy -c" with its variables set, and refuses to run without them. */
class HaproxyConfigTest {

    static Map<String, String> env(Path runDir, String bindAddr) {
        Map<String, String> env = Kit.cleanEnv();
        env.put("NODE1_IP", "192.168.1.101");
        env.put("NODE2_IP", "192.168.1.102");
        env.put("NODE3_IP", "192.168.1.103");
        env.put("HAPROXY_BIND_ADDR", bindAddr);
        env.put("HAPROXY_STATS_USER", "pgha-stats");
        env.put("HAPROXY_STATS_PASSWORD", "0123456789abcdef");
        env.put("HAPROXY_RUN_DIR", runDir.toString());
        env.put("PGHA_AGENT_CHECK_PORT", "5480");
        return env;
    }

    /** * is what a VM uses, 127.0.0.1 what the local and dev clusters use. */
    @ParameterizedTest
    @ValueSource(strings = {"*", "127.0.0.1", "192.168.1.50"})
    void validWithEnvironment(String bindAddr, @TempDir Path runDir) {
        Kit.requireTool("haproxy", "haproxy");
        Kit.Result r = Kit.run(env(runDir, bindAddr), "haproxy", "-c", "-f", Kit.HAPROXY_CFG.toString())
                .assertOk("haproxy -c");
        assertTrue(r.output().contains("Configuration file is valid"), r.output());
        assertTrue(!r.output().contains("[ALERT]"), r.output());
    }

    @ParameterizedTest
    @ValueSource(strings = {"NODE2_IP", "HAPROXY_BIND_ADDR", "HAPROXY_STATS_PASSWORD", "HAPROXY_RUN_DIR",
            "PGHA_AGENT_CHECK_PORT"})
    void unsetVariableIsAnErrorNamingIt(String variable, @TempDir Path runDir) {
        Kit.requireTool("haproxy", "haproxy");
        Map<String, String> env = env(runDir, "*");
        env.remove(variable);
        Kit.Result r = Kit.run(env, "haproxy", "-c", "-f", Kit.HAPROXY_CFG.toString());
        assertNotEquals(0, r.exit(), "haproxy -c must fail without " + variable + ":\n" + r.output());
        assertTrue(r.output().contains(variable + " is not set"), r.output());
    }

    @Test
    void emptyNodeAddressIsAnError(@TempDir Path runDir) {
        Kit.requireTool("haproxy", "haproxy");
        Map<String, String> env = env(runDir, "*");
        env.put("NODE1_IP", "");
        Kit.Result r = Kit.run(env, "haproxy", "-c", "-f", Kit.HAPROXY_CFG.toString());
        assertNotEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("NODE1_IP is not set"), r.output());
    }
}
