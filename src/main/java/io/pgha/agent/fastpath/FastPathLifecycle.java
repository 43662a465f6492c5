package io.pgha.agent.fastpath;

import io.pgha.agent.etcd.EtcdClientHolder;
import io.micrometer.core.instrument.MeterRegistry;
import io.pgha.agent.config.AgentConfig;
import io.pgha.agent.etcd.KeyLayout;
import io.pgha.agent.health.VerdictStore;
import io.pgha.agent.http.Endpoints;
import io.pgha.agent.http.Routes;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts the fast path when it is on and this agent can see the evidence it needs; otherwise says
 * at startup, in one line, why it stays off. A data directory that does not exist yet (a member Patroni is still
 * bootstrapping or cloning) is waited for, not taken as a reason to stay off. Uses the agent's one jetcd client.
 * {@code GET /fast-path}: whether the crash fast path runs, its last decision and its evidence.
 */
@Singleton
public class FastPathLifecycle implements Routes {
    private static final Logger LOG = Logger.getLogger(FastPathLifecycle.class);
    private static final Duration STILL_WAITING = Duration.ofMinutes(5);

    private final AgentConfig config;
    private final KeyLayout keys;
    private final VerdictStore verdicts;
    private final MeterRegistry registry;
    private final Clock clock;
    private final EtcdClientHolder etcd;
    private volatile FastPathRunner runner;
    private volatile String off = "not started yet";
    private volatile ScheduledExecutorService waiter;
    private boolean stopped;

    public FastPathLifecycle(AgentConfig config, EtcdClientHolder etcd, KeyLayout keys, VerdictStore verdicts,
                             MeterRegistry registry, Clock clock) {
        this.config = config;
        this.etcd = etcd;
        this.keys = keys;
        this.verdicts = verdicts;
        this.registry = registry;
        this.clock = clock;
    }

    void onStart(@Observes @Priority(20) StartupEvent event) {
        FastPathConfig f = config.fastPath();
        Optional<String> why = whyOff(f);
        if (why.isPresent()) {
            off = why.get();
            LOG.info("crash fast path off: " + off);
            return;
        }
        Path dataDir = f.dataDir().orElseThrow();
        if (!Files.exists(dataDir)) {
            // A member being bootstrapped or cloned: Patroni creates the directory after the agent has started.
            off = "waiting for the data directory " + dataDir + " (pgha.fast-path.data-dir) to appear; Patroni "
                    + "creates it when it bootstraps or clones this member";
            LOG.info("crash fast path " + off);
            waiter = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "pgha-fast-path-wait");
                t.setDaemon(true);
                return t;
            });
            long since = System.nanoTime();
            boolean[] warned = {false};
            waiter.scheduleWithFixedDelay(() -> {
                if (Files.exists(dataDir)) {
                    waiter.shutdown();
                    startIfReadable(f);
                } else if (!warned[0] && System.nanoTime() - since > STILL_WAITING.toNanos()) {
                    // pg_basebackup creates the directory as it starts, so this long without it is a wrong path
                    // far more often than a slow clone; the fast path keeps waiting either way.
                    warned[0] = true;
                    LOG.warnf("crash fast path still off: %s does not exist after %d minutes; check "
                            + "pgha.fast-path.data-dir [PGHA_FAST_PATH_DATA_DIR]", dataDir, STILL_WAITING.toMinutes());
                }
            }, 1, 1, TimeUnit.SECONDS);
            return;
        }
        startIfReadable(f);
    }

    private synchronized void startIfReadable(FastPathConfig f) {
        Path dataDir = f.dataDir().orElseThrow();
        if (stopped) {
            return;
        }
        if (!Files.isDirectory(dataDir) || !Files.isReadable(dataDir)) {
            off = "cannot read the data directory " + dataDir
                    + " (pgha.fast-path.data-dir), so a live postmaster could not be ruled out";
            LOG.info("crash fast path off: " + off);
            return;
        }
        URI patroni = URI.create(config.patroni().url().trim());
        URI postgres = URI.create(config.postgres().url().substring("jdbc:".length()));
        var targets = new FastPathTargets(patroni.getHost(), port(patroni, 8008), postgres.getHost(), port(postgres, 5432),
                dataDir, f.patroniMatch().orElse("").strip(), f.connectTimeout());
        var store = new EtcdLeaderKeyStore(etcd, keys.leader(), f.etcdTimeout());
        var policy = new LeaderGonePolicy(config.nodeName(),
                new LeaderGonePolicy.Settings(true, f.confirmations(), f.minSpacing(), f.maxGap()));
        runner = new FastPathRunner(policy, new LocalEvidence(f.proc()), store, targets, verdicts::fresh,
                new FastPathMetrics(registry), clock);
        runner.start(f.interval());
        off = "";
        LOG.infof("crash fast path on: checking %s:%d and %s:%d every %d ms; releases %s only when both are dead in %d checks",
                targets.patroniHost(), targets.patroniPort(), targets.postgresHost(), targets.postgresPort(),
                f.interval().toMillis(), keys.leader(), f.confirmations());
    }

    /** Why the fast path cannot run here, or empty when it can. */
    private Optional<String> whyOff(FastPathConfig f) {
        if (!f.enabled()) {
            return Optional.of("pgha.fast-path.enabled [PGHA_FAST_PATH_ENABLED] is false");
        }
        if (f.dataDir().isEmpty()) {
            return Optional.of("pgha.fast-path.data-dir [PGHA_FAST_PATH_DATA_DIR] is not set, so a live postmaster "
                    + "could not be ruled out (mount the data volume read-only and set it)");
        }
        if (!Files.isReadable(f.proc().resolve("stat"))) {
            return Optional.of("cannot read the process table at " + f.proc() + " (pgha.fast-path.proc)");
        }
        return Optional.empty();
    }

    private static int port(URI u, int fallback) {
        return u.getPort() > 0 ? u.getPort() : fallback;
    }

    public Optional<FastPathRunner.State> state() {
        FastPathRunner r = runner;
        return r == null ? Optional.empty() : Optional.of(r.state());
    }

    /** Empty while running; otherwise the one-line reason it is off. */
    public String offReason() {
        return off;
    }

    @Override
    public void register(Endpoints on) {
        on.json("/fast-path", this::body);
    }

    Map<String, Object> body() {
        Map<String, Object> out = new LinkedHashMap<>();
        var state = state();
        out.put("running", state.isPresent());
        if (state.isEmpty()) {
            out.put("off", offReason());
            return out;
        }
        out.put("decision", state.get().decision().reason());
        out.put("releases", state.get().releases());
        state.get().evidence().ifPresent(e -> out.put("evidence", e));
        return out;
    }

    synchronized void onStop(@Observes ShutdownEvent event) {
        stopped = true;
        if (waiter != null) {
            waiter.shutdownNow();
        }
        if (runner != null) {
            runner.close();
        }
    }
}
