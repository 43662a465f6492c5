package io.pgha.agent.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedClass;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import io.pgha.agent.backup.BackupFacts;
import io.pgha.agent.backup.BackupJob;
import io.pgha.agent.backup.BackupManifest;
import io.pgha.agent.fastpath.CrashEvidence;
import io.pgha.agent.fastpath.FastPathRunner;
import io.pgha.agent.fastpath.LeaderGoneDecision;
import io.pgha.agent.gossip.AgentStatus.VerdictView;
import io.pgha.agent.gossip.AgentStatus;
import io.pgha.agent.gossip.ClusterView;
import io.pgha.agent.gossip.HookStatus;
import io.pgha.agent.gossip.PatroniMember;
import io.pgha.agent.node.EtcdStatus;
import io.pgha.agent.node.NodeSnapshot;
import io.pgha.agent.node.Outcome;
import io.pgha.agent.node.PatroniStatus;
import io.pgha.agent.node.PostgresStatus;
import io.pgha.agent.node.ProbeResult;
import io.pgha.agent.reinit.DriftSignal;
import io.pgha.agent.reinit.DriftTracker;
import io.pgha.agent.reinit.ReinitRunner;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our JSON against what the agent wrote with Quarkus's ObjectMapper (databind, test scope only): etcd values,
 * manifests on disk and HTTP bodies written by older agents must read the same, and new ones look the same to
 * older agents and to people.
 */
class JsonCompatTest {

    private static final Instant AT = Instant.parse("2026-11-26T18:00:00.123Z");

    /**
     * Configured like Quarkus's default ObjectMapper. The records now say @OmitNulls where they used to say
     * {@code @JsonInclude(NON_NULL)}; the introspector reads one as the other, class by class, so Jackson leaves
     * out nulls for exactly the records the old code annotated (not, say, BackupManifest.Verification) and the
     * reference is what an old agent wrote, not a global NON_NULL that would hide a difference.
     */
    private static final ObjectMapper JACKSON = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
                private static final long serialVersionUID = 1L;

                @Override
                public JsonInclude.Value findPropertyInclusion(Annotated a) {
                    JsonInclude.Value v = super.findPropertyInclusion(a);
                    return a instanceof AnnotatedClass && a.hasAnnotation(OmitNulls.class)
                            ? v.withValueInclusion(JsonInclude.Include.NON_NULL) : v;
                }
            });

    private static final Json JSON = new Json();

    static AgentStatus agent() {
        Map<String, VerdictView> verdicts = new TreeMap<>();
        verdicts.put("any", new VerdictView("up", 100, "healthy", "answers in 3 ms"));
        verdicts.put("primary", new VerdictView("drain", 0, "replica", null));
        verdicts.put("replica", new VerdictView("up", 100, null, "streaming, 0 B behind"));
        // The slots hold what StatusSource puts there: json.toTree of a feature's facts.
        Object backup = JSON.toTree(new BackupFacts(AT, "20261126T030000Z-node1-app", null, null, AT, true,
                "restored 12 tables", null, "next run at 03:00"));
        Map<String, Object> drift = new LinkedHashMap<>();
        drift.put("state", "drifting");
        drift.put("signals", List.of("timeline", "system id"));
        drift.put("lastReinit", Map.of("at", AT.toString(), "outcome", "ok"));
        return new AgentStatus(AgentStatus.SCHEMA, "node1", "0.1.0", AT.toEpochMilli(), "replica", "streaming", 3L,
                1024L, null, verdicts, backup, JSON.toTree(drift), JSON.toTree(Map.of("running", true, "releases", 4)));
    }

    static Stream<AgentStatus> agents() {
        AgentStatus sparse = new AgentStatus(AgentStatus.SCHEMA, "node2", null, 0, null, null, null, null, null, null,
                null, null, null);
        return Stream.of(agent(), agent().timeless(), sparse);
    }

    static HookStatus hook() {
        return new HookStatus(HookStatus.SCHEMA, "haproxy-1", AT.toEpochMilli(), true, null, null,
                "node1 is the primary; 2 replicas up", false,
                List.of(new HookStatus.Server("pg_primary", "node1", "UP", 1, 1, 2, 0),
                        new HookStatus.Server("pg_replicas", "node2", "MAINT", 0, 1, 0, 1)),
                List.of(new HookStatus.Action(AT.toEpochMilli(), AT.toEpochMilli() + 2000, 3,
                        "set server pg_replicas/node2 state maint", "drain", "lag 64 MB", "ok"),
                        new HookStatus.Action(AT.toEpochMilli(), AT.toEpochMilli(), 1, "set weight", "weight", null,
                                null)),
                0, 30_000, null).publishedAt(AT.toEpochMilli() + 5);
    }

    static Stream<HookStatus> hooks() {
        return Stream.of(hook(), HookStatus.starting("haproxy-2", 30_000),
                HookStatus.unreadable("haproxy-3", "not JSON: Unexpected end-of-input"));
    }

    static BackupManifest manifest() {
        return io.pgha.agent.backup.BackupManifestTest.sample();
    }

    static Stream<BackupManifest> manifests() {
        BackupManifest unverified = new BackupManifest(1, "pgha-agent", "m2", "app", "globals", "plain",
                List.of("m2.sql"), "node1", "primary", null, null, AT, AT.plusMillis(1), 0, 0, null, null,
                new BackupManifest.Verification(false, "none", 0, null), null, null);
        return Stream.of(manifest(),
                manifest().withDrill(new BackupManifest.Drill(AT, false, "pgha_drill_1", 3, 1_000_000L, 4567,
                        "restore failed: out of disk")),
                unverified);
    }

    static Stream<NodeSnapshot> snapshots() {
        ProbeResult ok = ProbeResult.ok(Duration.ofMillis(3));
        ProbeResult down = ProbeResult.failed(Outcome.TIMEOUT, "no answer", Duration.ofMillis(500));
        NodeSnapshot leader = new NodeSnapshot("node1", AT,
                new PostgresStatus(ok, false, 3L, "0/3000060", "0/3000060", 0L, Duration.ZERO, null, 90),
                new PatroniStatus(ok, "master", "running", 3L, false, false, false, false),
                new EtcdStatus(ok, "/service/pg/leader", Optional.of("node1"), AT), false);
        NodeSnapshot replica = new NodeSnapshot("node2", AT,
                new PostgresStatus(ok, true, 3L, "0/3000060", "0/3000000", 96L, Duration.ofMillis(1500),
                        "streaming", 97),
                new PatroniStatus(ok, "replica", "streaming", 3L, true, true, false, true),
                new EtcdStatus(down, "/service/pg/leader", Optional.empty(), null), true);
        NodeSnapshot unreachable = new NodeSnapshot("node3", AT, PostgresStatus.unreachable(down),
                PatroniStatus.unreachable(ProbeResult.failed(Outcome.ERROR, "HTTP 500", Duration.ofNanos(1))),
                new EtcdStatus(down, "/service/pg/leader", Optional.of("node1"), AT.minusSeconds(30)), false);
        return Stream.of(leader, replica, unreachable);
    }

    static Stream<ClusterView> views() {
        Map<String, PatroniMember> members = Map.of(
                "node1", new PatroniMember("node1", "leader", "running", "10.0.0.1", 5432,
                        "http://10.0.0.1:8008/patroni", 3L, 50331744L),
                "node2", new PatroniMember("node2", "replica", "streaming", null, null, null, null, null));
        ClusterView full = new ClusterView("pg", "node1", AT, members, Map.of("node1", agent()), 42, 1, AT,
                Map.of("haproxy-1", hook(), "haproxy-3", HookStatus.unreadable("haproxy-3", "bad")));
        return Stream.of(full, ClusterView.empty("pg"),
                new ClusterView("pg", null, null, members, Map.of(), 7, 0, null));
    }

    /** The rest of what JsonTypes registers: what the backup, fast-path and reinit routes answer. */
    static Stream<Object> others() {
        CrashEvidence evidence = new CrashEvidence(AT, Optional.of(new CrashEvidence.LeaderKey("node1", 77)), true,
                CrashEvidence.PortState.REFUSED, CrashEvidence.ProcessState.ABSENT, CrashEvidence.PortState.TIMEOUT,
                CrashEvidence.PostmasterState.DEAD, true);
        Map<DriftSignal, DriftTracker.Seen> drift = new TreeMap<>(Map.of(DriftSignal.LAG_HARD,
                new DriftTracker.Seen(AT, 3), DriftSignal.NOT_STREAMING, new DriftTracker.Seen(AT, 1)));
        return Stream.of(new BackupJob.Result("ok", "backup m1 written"), evidence,
                new FastPathRunner.State(Optional.of(evidence), LeaderGoneDecision.keep("the leader answers"), 2),
                new FastPathRunner.State(Optional.empty(), LeaderGoneDecision.keep("not checked yet"), 0),
                new ReinitRunner.State(true, false, false, drift, List.of(new ReinitRunner.Entry(AT, "lag 2 GB")),
                        List.of(new ReinitRunner.Attempt(AT, DriftSignal.LAG_HARD, "lag 2 GB", null, null, null))));
    }

    static Stream<Object> everything() {
        return Stream.of(agents(), hooks(), manifests(), snapshots(), views(), others())
                .flatMap(s -> s.map(x -> (Object) x));
    }

    /** (a) The same document, compared as trees; and byte for byte, so a new value also looks the same. */
    @ParameterizedTest
    @MethodSource("everything")
    void writesWhatJacksonWrote(Object value) throws IOException {
        String theirs = JACKSON.writeValueAsString(value);
        String ours = JSON.writeString(value);
        assertEquals(JACKSON.readTree(theirs), JACKSON.readTree(ours));
        assertEquals(theirs, ours);
    }

    /** (b) What an old agent wrote to etcd reads back as the record it wrote. */
    @ParameterizedTest
    @MethodSource("agents")
    void readsAgentStatusAsJacksonWroteIt(AgentStatus status) throws IOException {
        assertEquals(status, JSON.read(JACKSON.writeValueAsString(status), AgentStatus.class));
    }

    @ParameterizedTest
    @MethodSource("hooks")
    void readsHookStatusAsJacksonWroteIt(HookStatus status) throws IOException {
        assertEquals(status, JSON.read(JACKSON.writeValueAsString(status), HookStatus.class));
        // and the other way round: an old agent in the same cluster reads the hook's new value
        assertEquals(status, JACKSON.readValue(JSON.write(status), HookStatus.class));
    }

    /** (b) and (c) for manifests, which stay on disk across upgrades and downgrades; the old writer indented. */
    @ParameterizedTest
    @MethodSource("manifests")
    void manifestsReadBothWays(BackupManifest m) throws IOException {
        String oldFile = JACKSON.writerWithDefaultPrettyPrinter().writeValueAsString(m);
        assertEquals(m, JSON.read(oldFile, BackupManifest.class));
        assertEquals(oldFile, m.toJson(), "a manifest file looks as it did");
        assertEquals(m, JACKSON.readValue(m.toJson(), BackupManifest.class));
        assertEquals(m, JACKSON.readValue(JSON.write(m), BackupManifest.class));
    }

    @Test
    void theReferenceLeavesOutNullsOnlyWhereTheOldRecordsDid() throws IOException {
        // Guards the comparison itself: an introspector that did nothing (or did it everywhere) would make the
        // tests above compare the wrong thing.
        BackupManifest unverified = manifests().reduce((a, b) -> b).orElseThrow();
        String theirs = JACKSON.writeValueAsString(unverified);
        assertTrue(!theirs.contains("\"timeline\"") && !theirs.contains("\"drill\""), theirs);
        assertTrue(theirs.contains("\"detail\":null"), "Verification never carried NON_NULL: " + theirs);
    }
}
