package io.pgha.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * The single-host dev cluster publishes the seed guide's ports, on loopback only. The seed lists:
 * etcd 2379, 2380, 2381 (client) and 2382, 2383, 2384 (peer); PostgreSQL 5432, 5433, 5434;
 * Patroni API 8008, 8009, 8010; and HAProxy 5000 (R/W), 5001 (R/O), 5002 (any), 7000 (stats).
 */
class DevPortsTest {

    /** host port -> "service:container port" as the seed assigns them. */
    static Map<Integer, String> seedPorts() {
        Map<Integer, String> expected = new TreeMap<>();
        for (int i = 0; i < 3; i++) {
            String n = String.valueOf(i + 1);
            expected.put(2379 + i, "etcd" + n + ":2379");
            expected.put(2382 + i, "etcd" + n + ":2380");
            expected.put(5432 + i, "patroni" + n + ":5432");
            expected.put(8008 + i, "patroni" + n + ":8008");
        }
        for (int port : List.of(5000, 5001, 5002, 7000)) {
            expected.put(port, "haproxy:" + port);
        }
        return expected;
    }

    @Test
    void publishedPortsAreTheSeedsOnLoopback() {
        Map<String, Object> config = Kit.yaml(Kit.composeConfig(Kit.DEPLOY.resolve(".env.dev.example"),
                Kit.DEPLOY.resolve("docker-compose.dev.yml")));
        Map<Integer, String> published = new TreeMap<>();
        for (Map.Entry<String, Object> service : Kit.map(config, "services").entrySet()) {
            Object ports = Kit.map(service.getValue()).get("ports");
            for (Object port : ports == null ? List.of() : (List<?>) ports) {
                // docker-compose 1.29 renders short syntax: HOST_IP:HOST_PORT:CONTAINER_PORT/tcp
                String[] parts = port.toString().replace("/tcp", "").split(":");
                assertEquals(3, parts.length, "port without host address (would listen on all): " + port);
                assertEquals("127.0.0.1", parts[0], "dev ports must stay on loopback: " + port);
                String previous = published.put(Integer.parseInt(parts[1]), service.getKey() + ":" + parts[2]);
                assertEquals(null, previous, "host port published twice: " + parts[1]);
            }
        }
        assertEquals(seedPorts(), published);
    }

    /** Inside the dev network every node uses the VM ports, so haproxy.cfg needs no dev variant. */
    @Test
    void haproxyReachesThePatroniContainersOnTheirOwnAddresses() {
        Map<String, Object> config = Kit.yaml(Kit.composeConfig(Kit.DEPLOY.resolve(".env.dev.example"),
                Kit.DEPLOY.resolve("docker-compose.dev.yml")));
        Map<String, Object> services = Kit.map(config, "services");
        Map<String, Object> haproxyEnv = Kit.map(services, "haproxy", "environment");
        for (String n : Kit.VMS) {
            Object address = Kit.map(services, "patroni" + n, "networks", "pgha-dev").get("ipv4_address");
            assertEquals(address, haproxyEnv.get("NODE" + n + "_IP"), "NODE" + n + "_IP of HAProxy");
            String spilo = (String) Kit.map(services, "patroni" + n, "environment").get("SPILO_CONFIGURATION");
            assertTrue(spilo.contains("connect_address: '" + address + ":5432'"), spilo);
            assertTrue(spilo.contains("connect_address: '" + address + ":8008'"), spilo);
        }
    }
}
