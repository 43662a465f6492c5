package io.pgha.agent.health;

import io.pgha.agent.config.AgentConfig;
import io.pgha.agent.etcd.EtcdLeaderClient;
import io.pgha.agent.etcd.KeyLayout;
import io.pgha.agent.metrics.AgentMetrics;
import io.pgha.agent.node.NodeSnapshot;
import io.pgha.agent.node.Role;
import io.pgha.agent.patroni.PatroniRestClient;
import io.quarkus.scheduler.Scheduled;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The cycle: gather one snapshot, let the policy decide, publish, log what changed. Probes are bounded by
 * pgha.loop.probe-timeout (500 ms) and run in parallel, so a cycle ends in ~0.5 s, inside the 1 s interval;
 * SKIP drops a tick instead of queueing cycles if the host stalls.
 */
@Singleton
public class HealthLoop {

    private static final Logger LOG = Logger.getLogger(HealthLoop.class);

    private final SnapshotGatherer gatherer;
    private final HealthPolicy policy;
    private final VerdictStore store;
    private final Clock clock;
    // Only the scheduler thread touches this (SKIP forbids overlap), so no synchronisation is needed.
    private final Map<Role, Verdict> logged = new EnumMap<>(Role.class);

    public HealthLoop(AgentConfig config, PostgresProbe postgres, PatroniRestClient patroni,
            EtcdLeaderClient etcd, KeyLayout keys, HealthPolicy policy, VerdictStore store,
            AgentMetrics metrics, Clock clock) {
        this.gatherer = new SnapshotGatherer(config.nodeName(), postgres::probe, patroni, etcd,
                () -> config.maintenance().flagFile().map(Files::exists).orElse(false),
                config.loop().probeTimeout(), keys.leader(), metrics, clock);
        this.policy = policy;
        this.store = store;
        this.clock = clock;
        metrics.watchSnapshotAge(store::snapshotAge);
    }

    @Scheduled(identity = "pgha-health-loop", every = "${pgha.loop.interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        runCycle();
    }

    public Verdicts runCycle() {
        NodeSnapshot snapshot = gatherer.gather();
        Verdicts verdicts = policy.decide(snapshot, clock.instant());
        store.publish(snapshot, verdicts);
        for (Role role : Role.values()) {
            Verdict v = verdicts.of(role);
            Verdict before = logged.put(role, v);
            if (!v.sameDecision(before)) {
                LOG.infof("%s: %s -> %s: %s", role.wire(), before == null ? "none" : before.label(), v.label(),
                        v.reason());
            }
        }
        return verdicts;
    }
}
