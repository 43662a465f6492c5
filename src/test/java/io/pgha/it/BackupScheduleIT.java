package io.pgha.it;

import static io.pgha.it.LocalCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Scheduled backups on the real cluster with the agents restarted on a 20-second cron and a 230 MB pgbench
 * database: every scheduled run is taken by exactly one agent, and killing the runner mid-dump leaves no
 * file reported as a backup while the next run succeeds on another node.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupScheduleIT {
    private static final Map<String, String> FAST = Map.of("PGHA_BACKUP_SCHEDULE", "*/20 * * * * ?",
            "PGHA_BACKUP_DATABASES", "bench");
    private static BackupFixture fx;
    private static Instant started;

    @BeforeAll
    static void setUp() throws Exception {
        LocalCluster cluster = LocalCluster.fromEnvironment();
        cluster.awaitHealthy(Duration.ofSeconds(120));
        fx = new BackupFixture(cluster);
        fx.pgbench("bench", 15);
        fx.restartAgents(FAST);
        started = Instant.now();
    }

    @AfterAll
    static void tearDown() {
        if (fx != null) {
            fx.restartAgents(Map.of());
        }
    }

    /** Scheduled run key -> nodes holding a good backup of it, for runs that fired after {@code since}. */
    private static Map<Instant, List<Integer>> runs(Instant since) {
        Map<Instant, List<Integer>> byRun = new TreeMap<>();
        for (int n = 1; n <= 3; n++) {
            if (fx.status(n) != 200) {
                continue;
            }
            for (JsonNode m : fx.good(n)) {
                String run = m.path("run").asText();
                if (run.startsWith("scheduled run ") && "bench".equals(m.path("database").asText())) {
                    Instant fire = Instant.parse(run.substring("scheduled run ".length()));
                    if (fire.isAfter(since)) {
                        byRun.computeIfAbsent(fire, k -> new ArrayList<>()).add(n);
                    }
                }
            }
        }
        return byRun;
    }

    @Test
    @Order(1)
    void everyScheduledRunIsTakenByExactlyOneAgent() {
        Map<Instant, List<Integer>> byRun = await("three scheduled runs", Duration.ofSeconds(120), () -> {
            Map<Instant, List<Integer>> r = runs(started);
            return r.size() >= 3 ? r : null;
        });
        List<Instant> fires = new ArrayList<>(byRun.keySet());
        for (Map.Entry<Instant, List<Integer>> e : byRun.entrySet()) {
            assertEquals(1, e.getValue().size(), "run " + e.getKey() + " was taken by nodes " + e.getValue());
        }
        // Consecutive: no run was skipped while the cluster was healthy.
        for (int i = 1; i < 3; i++) {
            assertEquals(Duration.ofSeconds(20), Duration.between(fires.get(i - 1), fires.get(i)), "runs " + fires);
        }
        int leader = fx.leader();
        for (List<Integer> nodes : byRun.values()) {
            assertNotEquals(leader, nodes.get(0), "a healthy streaming replica must win over the leader: " + byRun);
        }
    }

    @Test
    @Order(2)
    void killingTheRunnerMidDumpLeavesNoBackupAndTheNextRunSucceedsElsewhere() throws Exception {
        // Find an agent with a pg_dump child: the runner, mid-dump.
        long[] agents = {0, fx.cluster.pid(1, "agent"), fx.cluster.pid(2, "agent"), fx.cluster.pid(3, "agent")};
        int[] runner = await("a pg_dump running under one of the agents", Duration.ofSeconds(60), () -> {
            for (int n = 1; n <= 3; n++) {
                long agent = agents[n];
                List<ProcessHandle> dumps = ProcessHandle.of(agent).map(p -> p.children()
                        .filter(c -> c.info().command().orElse("").endsWith("pg_dump")).toList()).orElse(List.of());
                if (!dumps.isEmpty() && partials(n).size() > 0) {
                    return new int[] {n, (int) agent, (int) dumps.get(0).pid()};
                }
            }
            return null;
        });
        int n = runner[0];
        fx.cluster.signal(runner[1], "KILL");
        Instant killed = Instant.now();
        await("the orphaned pg_dump to die with its agent", Duration.ofSeconds(5),
                () -> ProcessHandle.of(runner[2]).map(p -> !p.isAlive()).orElse(true) ? true : null);
        List<String> partialFiles = partials(n);
        assertNoManifestFor(fx.dir(n), partialFiles);

        // The next run the lease lets through happens on another node.
        Map<Instant, List<Integer>> after = await("a good scheduled backup after the kill", Duration.ofSeconds(90),
                () -> {
                    Map<Instant, List<Integer>> r = runs(killed);
                    return r.isEmpty() ? null : r;
                });
        List<Integer> nodes = after.values().iterator().next();
        assertEquals(1, nodes.size(), "runs after the kill: " + after);
        assertNotEquals(n, nodes.get(0), "the dead node cannot have run it");

        // Back up: the restarted agent sweeps the partial file and lists only complete backups.
        fx.restartAgent(n, FAST);
        await("agent " + n + " back", Duration.ofSeconds(60), () -> fx.status(n) == 200 ? true : null);
        for (String p : partialFiles) {
            assertFalse(Files.exists(fx.dir(n).resolve(p)), p + " survived the restart");
        }
        for (JsonNode b : fx.backups(n).path("backups")) {
            assertTrue(b.path("good").asBoolean(), "node " + n + " lists a bad entry: " + b);
        }
    }

    private static List<String> partials(int n) {
        try (Stream<Path> s = Files.list(fx.dir(n))) {
            return s.map(p -> p.getFileName().toString()).filter(f -> f.startsWith(".pgha-partial-")).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** None of the partial dumps may have a manifest (it would then be reported as a backup). */
    private static void assertNoManifestFor(Path dir, List<String> partials) throws IOException {
            assertFalse(partials.isEmpty(), "the killed run left no partial file to check: was it mid-dump?");
            TreeSet<String> manifests = new TreeSet<>();
            try (Stream<Path> s = Files.list(dir)) {
                s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".manifest.json")).forEach(manifests::add);
            }
            for (String p : partials) {
                String id = p.substring(".pgha-partial-".length()).replaceAll("\\.(dump|dir|sql)$", "");
                assertFalse(manifests.contains(id + ".manifest.json"), "partial " + p + " has a manifest");
            }
    }
}
