package io.pgha.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every compose file, alone and with its overlay, renders with its example env file. */
class ComposeConfigTest {

    static Stream<Arguments> combinations() {
        List<Arguments> all = new ArrayList<>();
        for (String n : Kit.VMS) {
            all.add(Arguments.of(Kit.vmEnvExample(n), List.of(Kit.vmCompose(n)), List.of("etcd" + n, "patroni" + n)));
            all.add(Arguments.of(Kit.vmEnvExample(n),
                    List.of(Kit.vmCompose(n), Kit.OVERLAYS.resolve("agent.vm" + n + ".yml")),
                    List.of("etcd" + n, "patroni" + n, "pgha-agent")));
        }
        Path haproxyEnv = Kit.DEPLOY.resolve(".env.haproxy.example");
        Path haproxy = Kit.DEPLOY.resolve("docker-compose.haproxy.yml");
        all.add(Arguments.of(haproxyEnv, List.of(haproxy), List.of("haproxy")));
        all.add(Arguments.of(haproxyEnv, List.of(haproxy, Kit.OVERLAYS.resolve("hook.haproxy.yml")),
                List.of("haproxy", "pgha-hook")));
        all.add(Arguments.of(Kit.DEPLOY.resolve(".env.dev.example"), List.of(Kit.DEPLOY.resolve("docker-compose.dev.yml")),
                List.of("etcd1", "etcd2", "etcd3", "patroni1", "patroni2", "patroni3", "haproxy")));
        return all.stream();
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("combinations")
    void rendersWithItsExampleEnv(Path env, List<Path> files, List<String> services) {
        Map<String, Object> config = Kit.yaml(Kit.composeConfig(env, files.toArray(Path[]::new)));
        Map<String, Object> rendered = Kit.map(config, "services");
        assertEquals(services.stream().sorted().toList(), rendered.keySet().stream().sorted().toList());
        for (String service : services) {
            Map<String, Object> s = Kit.map(rendered, service);
            assertEquals("unless-stopped", s.get("restart"), service + " restart policy");
            if (!service.startsWith("pgha-")) {
                assertEquals(service, s.get("container_name"), service + " container name");
            }
            if (!env.toString().endsWith(".env.dev.example")) {
                assertEquals("host", s.get("network_mode"), service + " must use host networking on a VM");
            }
            if (service.startsWith("etcd") || service.startsWith("patroni")) {
                assertTrue(s.get("healthcheck") instanceof Map, service + " has no healthcheck");
                assertTrue(String.valueOf(s.get("volumes")).contains(service + "-data:"), service + " named volume");
            }
        }
    }

    /** Every variable a compose file interpolates is documented in the example env files that feed it. */
    @ParameterizedTest
    @ValueSource(strings = {"vm1", "vm2", "vm3", "haproxy", "dev"})
    void exampleEnvDefinesEveryVariable(String target) {
        Map<String, String> env = Kit.envFile(Kit.DEPLOY.resolve(".env." + target + ".example"));
        List<Path> files = new ArrayList<>(List.of(Kit.DEPLOY.resolve("docker-compose." + target + ".yml")));
        if (target.startsWith("vm")) {
            files.add(Kit.OVERLAYS.resolve("agent." + target + ".yml"));
        } else if (target.equals("haproxy")) {
            files.add(Kit.OVERLAYS.resolve("hook.haproxy.yml"));
        }
        for (Path file : files) {
            List<String> vars = Kit.composeVariables(Kit.text(file));
            assertFalse(vars.isEmpty(), file + " uses no variables?");
            for (String var : vars) {
                assertTrue(env.containsKey(var), var + " (used in " + file.getFileName() + ") is missing from .env."
                        + target + ".example");
            }
        }
        assertTrue(env.containsKey("COMPOSE_PROJECT_NAME"), "COMPOSE_PROJECT_NAME keeps projects apart");
    }

    @Test
    void missingVariableFailsLoudlyNamingIt(@TempDir Path tmp) throws IOException {
        Kit.requireTool("docker-compose", "docker-compose");
        Path env = tmp.resolve("env");
        Files.writeString(env, Kit.text(Kit.vmEnvExample("2")).replaceAll("(?m)^NODE3_IP=.*$", ""));
        Kit.Result r = Kit.run(Kit.cleanEnv(), "docker-compose", "--env-file", env.toString(), "-f",
                Kit.vmCompose("2").toString(), "config");
        assertNotEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("NODE3_IP"), "message must name NODE3_IP:\n" + r.output());
    }

    /**
     * The agent overlays pass the backup settings and keep the files on a named volume; with the example env
     * backups stay off, and a setting with a default gets the agent's own default rather than an empty value
     * (which the agent rejects).
     */
    @ParameterizedTest
    @ValueSource(strings = {"1", "2", "3"})
    void agentOverlayPassesBackupSettings(String n, @TempDir Path tmp) throws Exception {
        Path[] files = {Kit.vmCompose(n), Kit.OVERLAYS.resolve("agent.vm" + n + ".yml")};
        // The example without the settings that have defaults, as an env file written before them would be.
        Path older = tmp.resolve("older");
        Files.writeString(older, Kit.text(Kit.vmEnvExample(n))
                .replaceAll("(?m)^PGHA_BACKUP_(KEEP_COUNT|KEEP_AGE|DATABASES)=.*$", ""));
        Map<String, Object> off = Kit.map(Kit.yaml(Kit.composeConfig(older, files)),
                "services", "pgha-agent", "environment");
        assertEquals("", off.get("PGHA_BACKUP_DIR"), "backups are off in the example");
        assertEquals("", off.get("PGHA_BACKUP_SCHEDULE"), "a schedule without a directory stops the agent");
        for (String[] setting : new String[][] {{"PGHA_BACKUP_KEEP_COUNT", "keepCount"},
                {"PGHA_BACKUP_KEEP_AGE", "keepAge"}, {"PGHA_BACKUP_DATABASES", "databases"}}) {
            String agentDefault = io.pgha.agent.backup.BackupConfig.class.getMethod(setting[1])
                    .getAnnotation(io.smallrye.config.WithDefault.class).value();
            assertEquals(agentDefault, String.valueOf(off.get(setting[0])), setting[0] + " must default as the agent does");
        }

        Path env = tmp.resolve("env");
        Files.writeString(env, Kit.text(Kit.vmEnvExample(n))
                .replaceAll("(?m)^PGHA_BACKUP_DIR=.*$", "PGHA_BACKUP_DIR=/var/lib/pgha/backups")
                .replaceAll("(?m)^PGHA_BACKUP_SCHEDULE=.*$", "PGHA_BACKUP_SCHEDULE=0 0 3 * * ?")
                .replaceAll("(?m)^PGHA_BACKUP_KEEP_COUNT=.*$", "PGHA_BACKUP_KEEP_COUNT=14"));
        Map<String, Object> agent = Kit.map(Kit.yaml(Kit.composeConfig(env, files)), "services", "pgha-agent");
        Map<String, Object> on = Kit.map(agent, "environment");
        assertEquals("/var/lib/pgha/backups", on.get("PGHA_BACKUP_DIR"));
        assertEquals("0 0 3 * * ?", on.get("PGHA_BACKUP_SCHEDULE"));
        assertEquals("14", String.valueOf(on.get("PGHA_BACKUP_KEEP_COUNT")));
        assertTrue(String.valueOf(agent.get("volumes")).contains("pgha-backups:/var/lib/pgha/backups"),
                "backups on the named volume: " + agent.get("volumes"));
    }

    /** The admin token reaches the agent from the env file; the example leaves it empty (endpoints disabled). */
    @ParameterizedTest
    @ValueSource(strings = {"1", "2", "3"})
    void agentOverlayPassesTheAdminToken(String n, @TempDir Path tmp) throws Exception {
        Path[] files = {Kit.vmCompose(n), Kit.OVERLAYS.resolve("agent.vm" + n + ".yml")};
        Map<String, Object> off = Kit.map(Kit.yaml(Kit.composeConfig(Kit.vmEnvExample(n), files)),
                "services", "pgha-agent", "environment");
        assertEquals("", off.get("PGHA_ADMIN_TOKEN"), "no usable default token");
        Path env = tmp.resolve("env");
        Files.writeString(env, Kit.text(Kit.vmEnvExample(n))
                .replaceAll("(?m)^PGHA_ADMIN_TOKEN=.*$", "PGHA_ADMIN_TOKEN=0123456789abcdef0123"));
        Map<String, Object> on = Kit.map(Kit.yaml(Kit.composeConfig(env, files)), "services", "pgha-agent",
                "environment");
        assertEquals("0123456789abcdef0123", on.get("PGHA_ADMIN_TOKEN"));
    }

    /** The Patroni settings Spilo gets: parsed from the rendered SPILO_CONFIGURATION of each VM. */
    @ParameterizedTest
    @ValueSource(strings = {"1", "2", "3"})
    void spiloConfigurationCarriesThePatroniSettings(String n) {
        Map<String, String> env = Kit.envFile(Kit.vmEnvExample(n));
        Map<String, Object> config = Kit.yaml(Kit.composeConfig(Kit.vmEnvExample(n), Kit.vmCompose(n)));
        Map<String, Object> environment = Kit.map(config, "services", "patroni" + n, "environment");
        assertEquals(env.get("PATRONI_SCOPE"), environment.get("SCOPE"));
        assertEquals(env.get("POSTGRES_PASSWORD"), environment.get("PGPASSWORD_SUPERUSER"));
        String ip = env.get("NODE" + n + "_IP");
        assertEquals("\"" + env.get("NODE1_IP") + ":2379\",\"" + env.get("NODE2_IP") + ":2379\",\""
                + env.get("NODE3_IP") + ":2379\"", environment.get("ETCD3_HOSTS"));

        Map<String, Object> spilo = Kit.yaml((String) environment.get("SPILO_CONFIGURATION"));
        assertEquals("patroni" + n, spilo.get("name"));
        assertEquals("/service", spilo.get("namespace"));
        assertEquals(ip + ":8008", Kit.map(spilo, "restapi").get("connect_address"));
        Map<String, Object> pg = Kit.map(spilo, "postgresql");
        assertEquals(ip + ":5432", pg.get("connect_address"));
        String subnet = env.get("CLUSTER_SUBNET");
        List<?> hba = (List<?>) pg.get("pg_hba");
        for (Object rule : hba) {
            String[] f = rule.toString().trim().split("\\s+");
            if (!f[0].equals("local")) {
                String address = f[3];
                assertTrue(address.equals(subnet) || address.equals("127.0.0.1/32") || address.equals("::1/128"),
                        "pg_hba rule outside the cluster subnet: " + rule);
            }
        }
        assertTrue(hba.contains("host replication " + env.get("REPLICATION_USER") + " " + subnet + " scram-sha-256"), hba.toString());
        assertEquals("on", Kit.map(pg, "parameters").get("ssl"));

        Map<String, Object> dcs = Kit.map(spilo, "bootstrap", "dcs");
        assertEquals(30, dcs.get("ttl"));
        assertEquals(10, dcs.get("loop_wait"));
        assertEquals(10, dcs.get("retry_timeout"));
        assertEquals(1048576, dcs.get("maximum_lag_on_failover"));
        assertEquals(false, dcs.get("synchronous_mode"));
        assertEquals(true, dcs.get("failsafe_mode"));
        Map<String, Object> dcsPg = Kit.map(dcs, "postgresql");
        for (String key : List.of("use_pg_rewind", "remove_data_directory_on_rewind_failure",
                "remove_data_directory_on_diverged_timelines")) {
            assertEquals(true, dcsPg.get(key), key);
        }
    }
}
