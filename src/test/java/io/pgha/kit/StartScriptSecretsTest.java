package io.pgha.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * start-cluster.sh refuses placeholder, empty and default secrets, names the variable and touches
 * nothing: docker and docker-compose are replaced by stubs that record every call.
 */
class StartScriptSecretsTest {

    private static final String GOOD_VM = """
            POSTGRES_PASSWORD=9f8e7d6c5b4a39281706
            REPLICATION_PASSWORD=a1b2c3d4e5f60718293a
            PGHA_POSTGRES_PASSWORD=0a1b2c3d4e5f60718293
            """;

    @TempDir
    Path tmp;
    Path calls;
    Map<String, String> env;

    @BeforeEach
    void stubDocker() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        calls = tmp.resolve("calls");
        for (String tool : new String[] {"docker", "docker-compose"}) {
            Path stub = bin.resolve(tool);
            Files.writeString(stub, "#!/bin/sh\necho \"" + tool + " $*\" >> '" + calls + "'\n");
            Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        env = Kit.cleanEnv();
        env.put("PATH", bin + ":" + env.get("PATH"));
    }

    /** The example file with the lines given replacing the assignments of the same variables. */
    private Path envFile(String example, String overrides) throws IOException {
        String text = Kit.text(Kit.DEPLOY.resolve(example));
        for (String line : overrides.strip().split("\n")) {
            String key = line.substring(0, line.indexOf('='));
            text = text.replaceAll("(?m)^" + key + "=.*$", java.util.regex.Matcher.quoteReplacement(line));
        }
        Path file = tmp.resolve("env");
        Files.writeString(file, text);
        return file;
    }

    private Kit.Result start(String target, Path envFile, String... extra) {
        List<String> command = new ArrayList<>(List.of(Kit.SCRIPTS.resolve("start-cluster.sh").toString(),
                "--vm", target, "--env-file", envFile.toString()));
        command.addAll(List.of(extra));
        return Kit.run(env, command);
    }

    private void assertRefused(Kit.Result r, String variable, String reason) {
        assertNotEquals(0, r.exit(), "start must refuse:\n" + r.output());
        assertTrue(r.output().contains(variable), "message must name " + variable + ":\n" + r.output());
        assertTrue(r.output().contains(reason), "message must say '" + reason + "':\n" + r.output());
        assertEquals(1, r.output().strip().lines().count(), "one-line error expected:\n" + r.output());
        assertFalse(Files.exists(calls), "docker/docker-compose must not be called before the checks pass");
    }

    @Test
    void examplePlaceholdersAreRefused() {
        assertRefused(start("1", Kit.vmEnvExample("1")), "POSTGRES_PASSWORD", "placeholder");
        assertRefused(start("haproxy", Kit.DEPLOY.resolve(".env.haproxy.example")), "HAPROXY_STATS_PASSWORD", "placeholder");
        assertRefused(start("dev", Kit.DEPLOY.resolve(".env.dev.example")), "POSTGRES_PASSWORD", "placeholder");
    }

    @ParameterizedTest
    @CsvSource({"admin123,well-known default", "postgres,well-known default", "Password,well-known default",
            "zalando,well-known default", "standby,well-known default", "changeme,placeholder",
            "CHANGE_ME_please,placeholder"})
    void knownDefaultsAreRefused(String value, String reason) throws IOException {
        Path file = envFile(".env.vm2.example", GOOD_VM + "REPLICATION_PASSWORD=" + value);
        assertRefused(start("2", file), "REPLICATION_PASSWORD", reason);
    }

    @ParameterizedTest
    @CsvSource({"POSTGRES_PASSWORD=,POSTGRES_PASSWORD,empty",
            "REPLICATION_PASSWORD=CHANGE_ME_later,REPLICATION_PASSWORD,placeholder",
            "POSTGRES_PASSWORD=short1,POSTGRES_PASSWORD,shorter than 12",
            "POSTGRES_PASSWORD=has$dollar0123,POSTGRES_PASSWORD,may only contain"})
    void badVmSecretsAreRefused(String line, String variable, String reason) throws IOException {
        assertRefused(start("3", envFile(".env.vm3.example", GOOD_VM + line)), variable, reason);
    }

    @Test
    void agentPasswordIsCheckedOnlyWithTheAgent() throws IOException {
        Path file = envFile(".env.vm1.example", GOOD_VM + "PGHA_POSTGRES_PASSWORD=CHANGE_ME_agent");
        assertRefused(start("1", file, "--with-agent"), "PGHA_POSTGRES_PASSWORD", "placeholder");
        Kit.Result r = start("1", file, "--check");
        assertEquals(0, r.exit(), r.output());
    }

    @Test
    void haproxyStatsDefaultsAreRefused() throws IOException {
        Path file = envFile(".env.haproxy.example", "HAPROXY_STATS_PASSWORD=admin123");
        assertRefused(start("haproxy", file), "HAPROXY_STATS_PASSWORD", "well-known default");
        file = envFile(".env.haproxy.example", "HAPROXY_STATS_PASSWORD=0123456789abcdef\nHAPROXY_STATS_USER=admin");
        assertRefused(start("haproxy", file), "HAPROXY_STATS_USER", "well-known default");
    }

    /** Like docker-compose, a variable exported in the shell wins over the env file. */
    @Test
    void shellVariableOverridesTheFile() throws IOException {
        Path file = envFile(".env.vm1.example", GOOD_VM);
        env.put("POSTGRES_PASSWORD", "password");
        assertRefused(start("1", file), "POSTGRES_PASSWORD", "well-known default");
    }

    @Test
    void patroniTimingRuleIsEnforced() throws IOException {
        Path file = envFile(".env.vm1.example", GOOD_VM + "PATRONI_RETRY_TIMEOUT=15");
        assertRefused(start("1", file), "PATRONI_RETRY_TIMEOUT", "must not exceed PATRONI_TTL");
    }

    @Test
    void hostsslWithoutSslIsRefused() throws IOException {
        Path file = envFile(".env.vm1.example", GOOD_VM + "PG_SSL=off\nPG_HBA_CONNECTION_TYPE=hostssl");
        assertRefused(start("1", file), "PG_HBA_CONNECTION_TYPE", "needs PG_SSL=on");
    }

    /** With good secrets the script validates the compose configuration, then starts it. */
    @Test
    void goodSecretsStartTheVm() throws IOException {
        Path file = envFile(".env.vm2.example", GOOD_VM);
        Kit.Result r = start("2", file, "--with-agent");
        assertEquals(0, r.exit(), r.output());
        String recorded = Kit.text(calls);
        String compose = "docker-compose --env-file " + file + " -f " + Kit.vmCompose("2") + " -f "
                + Kit.OVERLAYS.resolve("agent.vm2.yml");
        assertEquals(compose + " config -q\n" + compose + " up -d\n", recorded);
    }

    /** --check runs the real docker-compose config and starts nothing. */
    @Test
    void checkValidatesWithTheRealCompose() throws IOException {
        Kit.requireTool("docker-compose", "docker-compose");
        Path file = envFile(".env.vm3.example", GOOD_VM);
        Map<String, String> realEnv = Kit.cleanEnv();
        Kit.Result r = Kit.run(realEnv, Kit.SCRIPTS.resolve("start-cluster.sh").toString(), "--vm", "3",
                "--env-file", file.toString(), "--check");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("3: env file and compose configuration are valid"), r.output());
    }
}
