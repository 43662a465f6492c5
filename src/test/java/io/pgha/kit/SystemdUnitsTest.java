package io.pgha.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/systemd's units pass {@code systemd-analyze verify} with no output at all (verify exits 0 even on
 * unknown keys, so its output is what counts) and an offline security review at exposure 2.0 or better. Both
 * run under {@code --root} on a temp tree holding the units, the host's stock units (sysinit.target...) and a
 * stub /usr/bin/java and /opt/pgha/bin/pgha-java, so neither a JDK nor an /opt/pgha install is needed.
 */
class SystemdUnitsTest {

    static final Path UNITS = Kit.DEPLOY.resolve("systemd");
    static final List<String> NAMES = List.of("pgha-agent.service", "pgha-hook.service");

    @TempDir
    static Path root;

    @BeforeAll
    static void tempRoot() throws IOException {
        Kit.requireTool("systemd-analyze", "systemd");
        Path system = Files.createDirectories(root.resolve("etc/systemd/system"));
        for (String name : NAMES) {
            Files.copy(UNITS.resolve(name), system.resolve(name));
        }
        copyTree(Path.of("/usr/lib/systemd/system"), Files.createDirectories(root.resolve("usr/lib/systemd/system")));
        for (String exe : List.of("usr/bin/java", "opt/pgha/bin/pgha-java")) {
            Path stub = Files.createDirectories(root.resolve(exe).getParent()).resolve(Path.of(exe).getFileName());
            Files.writeString(stub, "#!/bin/sh\n");
            Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f) && !Files.isSymbolicLink(f)) {
                    Files.createDirectories(target);
                } else if (Files.isRegularFile(f) && !Files.isSymbolicLink(f)) {
                    Files.copy(f, target);
                }
            }
        }
    }

    private static Kit.Result verify(String... units) {
        List<String> cmd = new ArrayList<>(List.of("systemd-analyze", "verify", "--root=" + root));
        for (String u : units) {
            cmd.add("/etc/systemd/system/" + u);
        }
        return Kit.run(Kit.cleanEnv(), cmd);
    }

    @Test
    void verifyPrintsNothing() {
        Kit.Result r = verify(NAMES.toArray(String[]::new));
        assertEquals(0, r.exit(), r.output());
        assertEquals("", r.output().strip(), "systemd-analyze verify complained");
    }

    @Test
    void verifyCatchesATypoSoTheCheckAboveCanFail() throws IOException {
        String broken = Kit.text(UNITS.resolve("pgha-agent.service")).replace("ProtectSystem=strict", "ProtectSystem=strcit");
        Files.writeString(root.resolve("etc/systemd/system/broken.service"), broken);
        try {
            assertTrue(verify("broken.service").output().contains("strcit"));
        } finally {
            Files.delete(root.resolve("etc/systemd/system/broken.service"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pgha-agent.service", "pgha-hook.service"})
    void offlineSecurityReviewAtMostTwo(String unit) {
        Kit.Result r = Kit.run(Kit.cleanEnv(), "systemd-analyze", "security", "--offline=true", "--threshold=20",
                "--root=" + root, "/etc/systemd/system/" + unit);
        assertEquals(0, r.exit(), r.output());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pgha-agent.service", "pgha-hook.service"})
    void hardenedRestartedAfterTheNetworkWithSettingsFromEtcPgha(String unit) {
        Map<String, List<String>> u = keys(Kit.text(UNITS.resolve(unit)));
        for (String[] kv : new String[][] {{"After", "network-online.target"}, {"Wants", "network-online.target"},
                {"Restart", "on-failure"}, {"NoNewPrivileges", "yes"}, {"ProtectSystem", "strict"},
                {"ProtectHome", "yes"}, {"PrivateTmp", "yes"}, {"CapabilityBoundingSet", ""},
                {"ExecStart", "-jar /opt/pgha/agent/quarkus-run.jar"}, {"Environment", "MALLOC_ARENA_MAX=2"}}) {
            assertTrue(u.getOrDefault(kv[0], List.of()).stream().anyMatch(v -> v.contains(kv[1])),
                    unit + ": " + kv[0] + " should contain '" + kv[1] + "', has " + u.get(kv[0]));
        }
        assertEquals(List.of(""), u.get("CapabilityBoundingSet"), unit + ": the bounding set must be empty");
        assertTrue(u.get("EnvironmentFile").stream().anyMatch(v -> v.endsWith("/etc/pgha/agent.env")), unit);
        assertNotEquals("root", u.get("User").get(0), unit + " must not run as root");
        assertTrue(u.get("ReadWritePaths").size() == 1, unit + ": one ReadWritePaths line, found " + u.get("ReadWritePaths"));
    }

    @Test
    void theHookIsTheSameJarInHookMode() {
        Map<String, List<String>> hook = keys(Kit.text(UNITS.resolve("pgha-hook.service")));
        Map<String, List<String>> agent = keys(Kit.text(UNITS.resolve("pgha-agent.service")));
        assertTrue(hook.get("Environment").contains("PGHA_MODE=hook"), hook.get("Environment")::toString);
        assertEquals(agent.get("ExecStart"), hook.get("ExecStart"));
    }

    /** The JVM flags of the units are the ones the local cluster's agents run with (nodes.sh start_agent). */
    @Test
    void jvmFlagsMatchTheLocalCluster() {
        String exec = keys(Kit.text(UNITS.resolve("pgha-agent.service"))).get("ExecStart").get(0);
        Matcher m = Pattern.compile("AGENT_JVM_FLAGS=\\(([^)]*)\\)").matcher(
                Kit.text(Kit.DEPLOY.resolve("local/lib/nodes.sh")).replace("\\\n", " "));
        assertTrue(m.find(), "no AGENT_JVM_FLAGS=(...) in nodes.sh");
        assertEquals(flags(m.group(1)), flags(exec.replaceAll("^" + LAUNCHER + "|-jar .*$", "")));
    }

    private static final String LAUNCHER = "/opt/pgha/bin/pgha-java \\$\\{STATE_DIRECTORY\\}/agent.jsa /usr/bin/java ";

    /**
     * Each unit starts the JVM through pgha-java (PghaJavaTest), which keeps the class-data archive in the unit's
     * own state directory, the one path it may write; the install notes say where pgha-java goes.
     */
    @ParameterizedTest
    @ValueSource(strings = {"pgha-agent.service", "pgha-hook.service"})
    void classDataArchiveLivesInTheStateDirectory(String unit) {
        Map<String, List<String>> u = keys(Kit.text(UNITS.resolve(unit)));
        String exec = u.get("ExecStart").get(0);
        assertTrue(Pattern.compile("^" + LAUNCHER).matcher(exec).find(), unit + ": not started through pgha-java: " + exec);
        assertTrue(u.containsKey("StateDirectory"), unit + " has no StateDirectory= for the archive");
        assertTrue(Kit.text(UNITS.resolve("pgha-agent.service"))
                .contains("install -D -m 0755 deploy/systemd/pgha-java /opt/pgha/bin/pgha-java"));
        assertTrue(Files.isExecutable(UNITS.resolve("pgha-java")));
    }

    private static List<String> flags(String s) {
        return List.of(s.trim().split("\\s+"));
    }

    /** Key to values (a key may repeat), with backslash continuations joined and comments skipped. */
    private static Map<String, List<String>> keys(String unit) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String line : unit.replaceAll("\\\\\n\\s*", " ").split("\n")) {
            int eq = line.indexOf('=');
            if (line.startsWith("#") || line.startsWith("[") || eq < 0) {
                continue;
            }
            m.computeIfAbsent(line.substring(0, eq).trim(), k -> new ArrayList<>()).add(line.substring(eq + 1).trim());
        }
        return m;
    }
}
