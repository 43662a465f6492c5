package io.pgha.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The compose files and haproxy.cfg agree on addresses, ports and names. */
class ConsistencyTest {

    /** One "listen" section of haproxy.cfg. */
    record Listener(String name, List<String> lines) {
        List<String> starting(String keyword) {
            return lines.stream().filter(l -> l.startsWith(keyword + " ")).toList();
        }
    }

    static Map<String, Listener> listeners() {
        Map<String, Listener> result = new LinkedHashMap<>();
        Listener current = null;
        for (String raw : Kit.text(Kit.HAPROXY_CFG).split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (!Character.isWhitespace(raw.charAt(0))) {
                current = null;
                if (line.startsWith("listen ")) {
                    current = new Listener(line.substring(7).strip(), new ArrayList<>());
                    result.put(current.name(), current);
                }
            } else if (current != null) {
                current.lines().add(line);
            }
        }
        return result;
    }

    static Set<String> haproxyVariables() {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)\\}").matcher(Kit.text(Kit.HAPROXY_CFG));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void listenersAndTheirChecks() {
        Map<String, Listener> listeners = listeners();
        assertEquals(List.of("primary", "replicas", "any", "stats"), List.copyOf(listeners.keySet()));
        Map<String, String> port = Map.of("primary", "5000", "replicas", "5001", "any", "5002", "stats", "7000");
        Map<String, String> check = Map.of("primary", "/primary", "replicas", "/replica", "any", "/health");
        Map<String, String> agent = Map.of("primary", "primary", "replicas", "replica", "any", "any");
        for (Listener l : listeners.values()) {
            assertEquals(List.of("bind \"${HAPROXY_BIND_ADDR}:" + port.get(l.name()) + "\""), l.starting("bind"), l.name());
            if (l.name().equals("stats")) {
                assertEquals(List.of("stats auth \"${HAPROXY_STATS_USER}:${HAPROXY_STATS_PASSWORD}\""), l.starting("stats auth"));
                continue;
            }
            assertTrue(l.starting("option httpchk").get(0).matches("option httpchk OPTIONS " + Pattern.quote(check.get(l.name())) + "(\\?.*)?"),
                    l.name() + ": " + l.starting("option httpchk"));
            assertEquals(List.of("http-check expect status 200"), l.starting("http-check"), l.name());
            List<String> servers = l.starting("server");
            assertEquals(3, servers.size(), l.name());
            for (int i = 0; i < 3; i++) {
                String n = String.valueOf(i + 1);
                assertEquals("server patroni" + n + " \"${NODE" + n + "_IP}\":5432 check agent-check agent-port"
                        + " \"${PGHA_AGENT_CHECK_PORT}\" agent-inter 1s agent-send \"" + agent.get(l.name()) + "\\n\"",
                        servers.get(i));
            }
        }
        assertEquals(List.of("retries 0"), listeners.get("primary").starting("retries"));
        String defaults = Kit.text(Kit.HAPROXY_CFG);
        assertTrue(defaults.contains("default-server inter 1s fastinter 500ms downinter 1s fall 2 rise 1 port 8008 on-marked-down shutdown-sessions"),
                "health checks must go to Patroni's REST port 8008 and cut sessions of a server marked down");
        assertTrue(defaults.contains("load-server-state-from-file global"));
        assertTrue(defaults.contains("server-state-file \"${HAPROXY_RUN_DIR}/server-state\""));
        assertTrue(defaults.contains("stats socket \"${HAPROXY_RUN_DIR}/admin.sock\" mode 660 level admin"));
    }

    /** haproxy.cfg's variables are exactly what the HAProxy containers are given. */
    @Test
    void haproxyContainersProvideEveryVariable() {
        Set<String> expected = Set.of("NODE1_IP", "NODE2_IP", "NODE3_IP", "HAPROXY_BIND_ADDR", "HAPROXY_STATS_USER",
                "HAPROXY_STATS_PASSWORD", "HAPROXY_RUN_DIR", "PGHA_AGENT_CHECK_PORT");
        // PATRONI_CA_FILE is optional (TLS checks of Patroni's REST API): every use sits under .if defined().
        Set<String> used = new TreeSet<>(haproxyVariables());
        assertTrue(used.remove("PATRONI_CA_FILE"), "haproxy.cfg lost its optional PATRONI_CA_FILE");
        assertTrue(Kit.text(Kit.HAPROXY_CFG).contains(".if defined(PATRONI_CA_FILE) && !streq(\"${PATRONI_CA_FILE}\",\"\")"),
                "PATRONI_CA_FILE must be guarded so that containers without it get plain checks");
        assertEquals(new TreeSet<>(expected), used);
        for (String target : List.of("haproxy", "dev")) {
            Map<String, Object> config = Kit.yaml(Kit.composeConfig(Kit.DEPLOY.resolve(".env." + target + ".example"),
                    Kit.DEPLOY.resolve("docker-compose." + target + ".yml")));
            Map<String, Object> haproxy = Kit.map(config, "services", "haproxy");
            assertEquals(new TreeSet<>(expected), new TreeSet<>(Kit.map(haproxy, "environment").keySet()), target);
            assertEquals("/var/lib/haproxy", Kit.map(haproxy, "environment").get("HAPROXY_RUN_DIR"));
            String volumes = String.valueOf(haproxy.get("volumes"));
            assertTrue(volumes.contains(Kit.HAPROXY_CFG + ":/usr/local/etc/haproxy/haproxy.cfg:ro"), volumes);
            assertTrue(volumes.contains("haproxy-run:/var/lib/haproxy"), volumes);
        }
    }

    /** Server names are the Patroni member names, and each NODEn_IP is patroni n's address on 5432/8008. */
    @Test
    void serverNamesAndAddressesMatchThePatroniMembers() {
        Map<String, String> haproxyEnv = Kit.envFile(Kit.DEPLOY.resolve(".env.haproxy.example"));
        for (String n : Kit.VMS) {
            Map<String, String> vmEnv = Kit.envFile(Kit.vmEnvExample(n));
            for (String var : List.of("NODE1_IP", "NODE2_IP", "NODE3_IP")) {
                assertEquals(haproxyEnv.get(var), vmEnv.get(var), var + " differs between .env.haproxy and .env.vm" + n);
            }
            assertEquals("5480", vmEnv.get("PGHA_AGENT_CHECK_PORT"));
            Map<String, Object> config = Kit.yaml(Kit.composeConfig(Kit.vmEnvExample(n), Kit.vmCompose(n),
                    Kit.OVERLAYS.resolve("agent.vm" + n + ".yml")));
            Map<String, Object> services = Kit.map(config, "services");
            String ip = vmEnv.get("NODE" + n + "_IP");
            Map<String, Object> spilo = Kit.yaml((String) Kit.map(services, "patroni" + n, "environment").get("SPILO_CONFIGURATION"));
            String member = (String) spilo.get("name");
            for (Listener l : listeners().values()) {
                if (!l.name().equals("stats")) {
                    assertTrue(l.starting("server").get(Integer.parseInt(n) - 1)
                            .startsWith("server " + member + " \"${NODE" + n + "_IP}\":5432 "), l.name());
                }
            }
            assertEquals(ip + ":5432", Kit.map(spilo, "postgresql").get("connect_address"));
            assertEquals(ip + ":8008", Kit.map(spilo, "restapi").get("connect_address"));
            Map<String, Object> etcd = Kit.map(services, "etcd" + n, "environment");
            assertEquals("http://" + ip + ":2379", etcd.get("ETCD_ADVERTISE_CLIENT_URLS"));
            assertEquals("http://" + ip + ":2380", etcd.get("ETCD_INITIAL_ADVERTISE_PEER_URLS"));
            assertEquals("etcd1=http://" + vmEnv.get("NODE1_IP") + ":2380,etcd2=http://" + vmEnv.get("NODE2_IP")
                    + ":2380,etcd3=http://" + vmEnv.get("NODE3_IP") + ":2380", etcd.get("ETCD_INITIAL_CLUSTER"));

            Map<String, Object> agent = Kit.map(services, "pgha-agent", "environment");
            assertEquals(member, agent.get("PGHA_NODE_NAME"));
            assertEquals(vmEnv.get("PATRONI_SCOPE"), agent.get("PGHA_SCOPE"));
            assertEquals("http://" + ip + ":8008", agent.get("PGHA_PATRONI_URL"));
            assertEquals("jdbc:postgresql://" + ip + ":5432/postgres", agent.get("PGHA_POSTGRES_URL"));
            assertEquals("5480", String.valueOf(agent.get("PGHA_AGENT_CHECK_PORT")));
            assertEquals("service:patroni" + n, Kit.map(services, "pgha-agent").get("pid"));
            assertTrue(String.valueOf(Kit.map(services, "pgha-agent").get("volumes")).contains("patroni" + n + "-data:/pgdata:ro"));
        }
        assertEquals("postgres-ha", haproxyEnv.get("PATRONI_SCOPE"));
    }

    /**
     * vm2 and vm3 are vm1 with the node number changed, so a fix cannot land in one file only. The two
     * lines listing all three nodes are compared rendered, in serverNamesAndAddressesMatchThePatroniMembers
     * and ComposeConfigTest.
     */
    @Test
    void vmFilesDifferOnlyInTheNodeNumber() {
        String vm1 = normalized("1");
        assertTrue(vm1.contains("container_name: patroniN") && vm1.contains("${NODEN_IP}:5432"), vm1);
        for (String n : List.of("2", "3")) {
            assertEquals(vm1, normalized(n), "docker-compose.vm" + n + ".yml differs from vm1 beyond the node number");
        }
    }

    private static String normalized(String n) {
        return Kit.text(Kit.vmCompose(n)).lines()
                .filter(l -> !l.contains("ETCD_INITIAL_CLUSTER:") && !l.contains("ETCD3_HOSTS:"))
                .map(l -> l.replaceAll("(VM|vm|etcd|patroni|NODE|--vm )" + n + "(?![0-9])", "$1N"))
                .reduce("", (a, b) -> a + b + "\n");
    }
}
