package io.pgha.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input to pgha-local: one line that says why, a non-zero exit, and nothing half started. */
class PghaLocalCliIT {
    private final LocalCluster cluster = LocalCluster.fromEnvironment();
    private final String script = System.getProperty("pgha.repo", ".") + "/deploy/local/pgha-local";

    @Test
    void unknownVerbIsOneLineAndNonZero() {
        LocalCluster.Result r = cluster.run("frobnicate");
        assertNotEquals(0, r.exit());
        assertEquals("pgha-local: unknown verb 'frobnicate' (pgha-local help lists the verbs)", r.stderr().strip());
    }

    @Test
    void unknownNodeNumberIsOneLineAndNonZero() {
        for (String verb : List.of("stop-node", "start-node", "kill-node")) {
            LocalCluster.Result r = cluster.run(verb, "7");
            assertNotEquals(0, r.exit(), verb);
            assertEquals("pgha-local: unknown node '7': nodes are 1, 2 and 3", r.stderr().strip(), verb);
        }
        LocalCluster.Result psql = cluster.run("psql", "9");
        assertNotEquals(0, psql.exit());
        assertTrue(psql.stderr().contains("psql takes rw, ro, any or a node number"), psql.stderr());
    }

    @Test
    void aTakenPortStopsUpBeforeAnythingStarts(@TempDir Path state) throws IOException {
        // The running cluster's HAProxy holds 5000 on its address, so a second cluster cannot have it.
        LocalCluster.Result r = LocalCluster.exec(Map.of("PGHA_STATE_DIR", state.toString()), List.of(script, "up"));
        assertNotEquals(0, r.exit());
        assertTrue(r.stderr().strip().endsWith("port " + cluster.env("HAPROXY_ADDR") + ":5000 is already taken by another process (HAProxy needs it)"),
                r.stderr());
        Path pids = state.resolve("pids");
        try (Stream<Path> files = Files.exists(pids) ? Files.list(pids) : Stream.empty()) {
            assertEquals(0, files.count(), "up recorded processes although it refused to start");
        }
        assertEquals(0, cluster.run("status").exit());
        assertTrue(cluster.leaderName() != null, "the running cluster lost its leader");
    }

    @Test
    void aPackageThatCannotBeInstalledIsNamed() {
        List<java.io.File> before = aptLogs();
        LocalCluster.Result r = LocalCluster.exec(Map.of("PGHA_EXTRA_PKGS", "pgha-no-such-package"),
                List.of(script, "install"));
        // pgha-local keeps apt's log of a failed install for the operator; this one is the test's to remove.
        for (java.io.File f : aptLogs()) {
            if (!before.contains(f)) {
                f.delete();
            }
        }
        assertNotEquals(0, r.exit());
        String line = r.stderr().strip();
        assertTrue(line.startsWith("pgha-local: cannot install pgha-no-such-package: E: Unable to locate package"), line);
        assertEquals(1, line.lines().count(), line);
    }

    private static List<java.io.File> aptLogs() {
        java.io.File[] files = new java.io.File("/tmp").listFiles((d, name) -> name.startsWith("pgha-local-apt."));
        return files == null ? List.of() : List.of(files);
    }
}
