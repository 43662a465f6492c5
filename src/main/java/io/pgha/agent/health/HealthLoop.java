package io.pgha.agent.health;

import io.pgha.agent.config.AgentConfig;
import io.pgha.agent.etcd.LeaderReader;
import io.pgha.agent.etcd.KeyLayout;
import io.pgha.agent.metrics.AgentMetrics;
import io.pgha.agent.node.NodeSnapshot;
import io.pgha.agent.node.Role;
import io.pgha.agent.patroni.PatroniRestClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The cycle: gather one snapshot, let the policy decide, publish, log what changed. Probes are bounded by
 * pgha.loop.probe-timeout (500 ms) and run in parallel, so a cycle ends in ~0.5 s, inside the 1 s interval.
 *
 * <p>A single-thread executor rather than {@code @Scheduled}: Quarkus's scheduler does not run intervals under
 * one second, and one thread guarantees cycles never overlap (a late cycle delays the next, never doubles it).
 */
@Singleton
public class HealthLoop {

    private static final Logger LOG = Logger.getLogger(HealthLoop.class);

    private final SnapshotGatherer gatherer;
    private final HealthPolicy policy;
    private final VerdictStore store;
    private final Clock clock;
    private final Duration interval;
    private final boolean agentMode;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pgha-health-loop");
        t.setDaemon(true);
        return t;
    });
    // Only the loop thread touches this (one thread, no overlap), so no synchronisation is needed.
    private final Map<Role, Verdict> logged = new EnumMap<>(Role.class);

    public HealthLoop(AgentConfig config, PostgresProbe postgres, PatroniRestClient patroni,
            LeaderReader etcd, KeyLayout keys, HealthPolicy policy, VerdictStore store,
            AgentMetrics metrics, Clock clock) {
        this.gatherer = new SnapshotGatherer(config.nodeName(), postgres::probe, patroni, etcd,
                () -> config.maintenance().flagFile().map(Files::exists).orElse(false),
                config.loop().probeTimeout(), keys.leader(), metrics, clock);
        this.policy = policy;
        this.store = store;
        this.clock = clock;
        this.interval = config.loop().interval();
        this.agentMode = "agent".equals(config.mode());
        metrics.watchSnapshotAge(store::snapshotAge);
    }

    void onStart(@Observes @Priority(20) StartupEvent event) {
        if (!agentMode) {
            LOG.info("hook mode: the health loop stays off");
            return;
        }
        timer.scheduleAtFixedRate(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        timer.shutdownNow();
    }

    private void tick() {
        try {
            runCycle();
        } catch (RuntimeException | Error e) {
            // An exception escaping would cancel the schedule for good and leave the verdicts to go stale.
            LOG.error("health cycle failed; verdicts go stale and fail closed if this repeats", e);
        }
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
