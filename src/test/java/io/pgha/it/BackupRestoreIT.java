package io.pgha.it;

import static io.pgha.it.LocalCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A backup restores to the same data (row counts and a checksum of every table of a pgbench database), the
 * agent's own restore drill agrees, and a backup directory that fills up fails loudly while the older backups
 * in it stay intact.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupRestoreIT {
    private static BackupFixture fx;
    private static int replica;

    /**
     * Manual runs only: the local cluster's 10-minute schedule would otherwise claim the cluster-wide run (or
     * be running on this node) whenever a test's manual run lands on a ten-minute mark, and get it a 409.
     */
    private static Map<String, String> manualOnly(String databases) {
        return Map.of("PGHA_BACKUP_DATABASES", databases, "PGHA_BACKUP_SCHEDULE", "");
    }

    @BeforeAll
    static void setUp() throws Exception {
        LocalCluster cluster = LocalCluster.fromEnvironment();
        cluster.awaitHealthy(Duration.ofSeconds(120));
        fx = new BackupFixture(cluster);
        fx.pgbench("bench", 15);
        fx.restartAgents(manualOnly("postgres,bench"));
        replica = fx.leader() % 3 + 1;
    }

    @AfterAll
    static void tearDown() {
        if (fx != null) {
            fx.restartAgents(Map.of());
        }
    }

    private static JsonNode manifest(int node, String database) {
        List<JsonNode> good = fx.good(node).stream().filter(m -> database.equals(m.path("database").asText()))
                .toList();
        assertTrue(!good.isEmpty(), "node " + node + " has no good backup of " + database);
        return good.get(good.size() - 1);
    }

    private static String sha256(Path f) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(f)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Test
    @Order(1)
    void aRestoredBackupHasTheSameRowsAndChecksumsAsTheSource() throws Exception {
        HttpResponse<String> r = fx.post(replica, "/backups?wait=300");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode m = manifest(replica, "bench");
        assertEquals("replica", m.path("role").asText());
        Path file = fx.dir(replica).resolve(m.path("files").get(0).asText());
        assertEquals(m.path("sha256").asText(), sha256(file), "the file on disk is the one the manifest describes");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file)));

        int leader = fx.leader();
        Map<String, String> source = fx.fingerprint(leader, "bench");
        assertEquals(4, source.size(), "pgbench makes four tables: " + source);
        fx.sql(leader, "postgres", "DROP DATABASE IF EXISTS bench_it_restore WITH (FORCE)");
        fx.sql(leader, "postgres", "CREATE DATABASE bench_it_restore");
        try {
            LocalCluster.Result restore = fx.tool("pg_restore", "-h", fx.cluster.addr(leader), "-U", "postgres",
                    "-d", "bench_it_restore", "--exit-on-error", file.toString());
            assertEquals(0, restore.exit(), restore.stderr());
            assertEquals(source, fx.fingerprint(leader, "bench_it_restore"));
        } finally {
            fx.sql(leader, "postgres", "DROP DATABASE IF EXISTS bench_it_restore WITH (FORCE)");
        }
    }

    @Test
    @Order(2)
    void theAgentsRestoreDrillCountsTheSameRows() throws Exception {
        JsonNode m = manifest(replica, "bench");
        String id = m.path("id").asText();
        HttpResponse<String> r = fx.post(replica, "/backups/" + id + "/restore-drill?wait=300");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode drill = manifest(replica, "bench").path("drill");
        long rows = fx.scalar(fx.leader(), "bench", "SELECT (SELECT count(*) FROM pgbench_accounts) "
                + "+ (SELECT count(*) FROM pgbench_branches) + (SELECT count(*) FROM pgbench_tellers) "
                + "+ (SELECT count(*) FROM pgbench_history)");
        assertTrue(drill.path("ok").asBoolean(), drill.toString());
        assertEquals(4, drill.path("tables").asInt(), drill.toString());
        assertEquals(rows, drill.path("rows").asLong(), drill.toString());
        assertEquals(0, fx.scalar(fx.leader(), "postgres",
                "SELECT count(*) FROM pg_database WHERE datname LIKE 'pgha_drill_%'"), "the scratch database stays");
    }

    @Test
    @Order(3)
    void aFullBackupDirectoryFailsLoudlyAndKeepsTheOlderBackups() throws Exception {
        int n = replica;
        fx.restartAgent(n, manualOnly("postgres"));
        await("agent " + n + " back", Duration.ofSeconds(60), () -> fx.status(n) == 200 ? true : null);
        // The agent runs in its own mount namespace (ip netns exec), so the tmpfs is mounted there (it goes away
        // with the namespace if this test dies) and looked at from here through /proc/<pid>/root.
        long agent = fx.cluster.pid(n, "agent");
        String dir = fx.dir(n).toString();
        Path seen = Path.of("/proc/" + agent + "/root" + dir);
        mount(agent, "mount", "-t", "tmpfs", "-o", "size=5m,mode=0700,uid=" + uid() + ",gid=" + gid(), "tmpfs", dir);
        int leader = fx.leader();
        try {
            HttpResponse<String> first = fx.post(n, "/backups?wait=120");
            assertEquals(200, first.statusCode(), "a small backup fits in 5 MB: " + first.body());
            Map<String, String> before = checksums(seen);
            assertEquals(4, before.size(), "globals and postgres, each with a manifest: " + before);

            // ~20 MB of hardly compressible text: the next dump cannot fit.
            fx.sql(leader, "postgres", "DROP TABLE IF EXISTS pgha_it_fill; CREATE TABLE pgha_it_fill AS "
                    + "SELECT g, md5(random()::text) || md5(random()::text) AS t FROM generate_series(1, 250000) g");
            await("the table on the replica", Duration.ofSeconds(60), () -> {
                try {
                    return fx.scalar(n, "postgres", "SELECT count(*) FROM pgha_it_fill") == 250000 ? true : null;
                } catch (java.sql.SQLException e) {
                    return null;
                }
            });
            HttpResponse<String> full = fx.post(n, "/backups?wait=120");
            assertEquals(500, full.statusCode(), full.body());
            assertTrue(full.body().contains("No space left on device") || full.body().contains("not enough space"),
                    full.body());
            assertTrue(full.body().contains("postgres (disk-full)"), full.body());
            Map<String, String> after = checksums(seen);
            for (Map.Entry<String, String> e : before.entrySet()) {
                assertEquals(e.getValue(), after.get(e.getKey()), "older backup file " + e.getKey() + " changed");
            }
            // What is new is the (small) globals dump of the failed run, complete with its manifest; nothing of
            // the database dump that did not fit.
            for (String added : after.keySet()) {
                assertTrue(before.containsKey(added) || added.contains("-globals."), "left behind: " + added);
            }
            try (Stream<Path> s = Files.list(seen)) {
                assertEquals(List.of(), s.map(p -> p.getFileName().toString())
                        .filter(f -> f.startsWith(".pgha-partial-")).toList(), "partial files left behind");
            }
            HttpResponse<String> health = fx.cluster.get(fx.base(n) + "/q/health/group/backup");
            assertEquals(503, health.statusCode(), health.body());
            assertTrue(health.body().contains("disk-full"), health.body());
            assertEquals(200, fx.cluster.get(fx.base(n) + "/q/health/ready").statusCode(),
                    "a failed backup must not make the agent unready");
            String metrics = fx.cluster.get(fx.base(n) + "/q/metrics").body();
            assertTrue(metrics.contains("pgha_backup_dumps_total{database=\"postgres\",result=\"disk-full\"}"), metrics);
            mount(agent, "umount", dir);
        } finally {
            fx.sql(leader, "postgres", "DROP TABLE IF EXISTS pgha_it_fill");
        }
    }

    private static Map<String, String> checksums(Path dir) throws Exception {
        Map<String, String> out = new java.util.TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                out.put(p.getFileName().toString(), sha256(p));
            }
        }
        return out;
    }

    private static void mount(long pid, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("nsenter", "-t", Long.toString(pid), "-m", "--"));
        cmd.addAll(List.of(args));
        LocalCluster.Result r = LocalCluster.exec(Map.of(), cmd);
        assertEquals(0, r.exit(), String.join(" ", cmd) + ": " + r.stderr());
    }

    private static String uid() {
        return LocalCluster.exec(Map.of(), List.of("id", "-u", "postgres")).stdout().strip();
    }

    private static String gid() {
        return LocalCluster.exec(Map.of(), List.of("id", "-g", "postgres")).stdout().strip();
    }
}
