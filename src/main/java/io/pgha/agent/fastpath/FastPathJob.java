package io.pgha.agent.fastpath;

import io.pgha.agent.config.AgentConfig;
import io.pgha.agent.http.Endpoints;
import io.pgha.agent.http.Routes;
import io.pgha.agent.job.Job;
import io.pgha.agent.job.JobContext;
import io.pgha.agent.job.Loop;
import io.pgha.agent.job.OnOff;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
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
public class FastPathJob implements Job, Routes {
    private static final Logger LOG = Logger.getLogger(FastPathJob.class);
    private static final Duration STILL_WAITING = Duration.ofMinutes(5);

    private final JobContext node;
    private final OnOff<FastPathRunner> runner = new OnOff<>("not started yet");
    private volatile ScheduledExecutorService waiter;

    public FastPathJob(JobContext node) {
        this.node = node;
    }

    @Override
    public void start() {
        FastPathConfig f = node.config().fastPath();
        Optional<String> why = whyOff(f);
        if (why.isPresent()) {
            runner.off(why.get());
            LOG.info("crash fast path off: " + why.get());
            return;
        }
        Path dataDir = f.dataDir().orElseThrow();
        if (!Files.exists(dataDir)) {
            // A member being bootstrapped or cloned: Patroni creates the directory after the agent has started.
            runner.off("waiting for the data directory " + dataDir + " (pgha.fast-path.data-dir) to appear; Patroni "
                    + "creates it when it bootstraps or clones this member");
            LOG.info("crash fast path " + runner.offReason());
            waiter = Executors.newSingleThreadScheduledExecutor(Loop.daemon("pgha-fast-path-wait"));
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

    private void startIfReadable(FastPathConfig f) {
        Path dataDir = f.dataDir().orElseThrow();
        if (!Files.isDirectory(dataDir) || !Files.isReadable(dataDir)) {
            runner.off("cannot read the data directory " + dataDir
                    + " (pgha.fast-path.data-dir), so a live postmaster could not be ruled out");
            LOG.info("crash fast path off: " + runner.offReason());
            return;
        }
        AgentConfig config = node.config();
        URI patroni = URI.create(config.patroni().url().trim());
        URI postgres = URI.create(config.postgres().url().substring("jdbc:".length()));
        var targets = new FastPathTargets(patroni.getHost(), port(patroni, 8008), postgres.getHost(), port(postgres, 5432),
                dataDir, f.patroniMatch().orElse("").strip(), f.connectTimeout());
        String leader = node.keys().leader();
        boolean started = runner.on(() -> {
            var store = new EtcdLeaderKeyStore(node.etcd(), leader, f.etcdTimeout());
            var policy = new LeaderGonePolicy(config.nodeName(),
                    new LeaderGonePolicy.Settings(true, f.confirmations(), f.minSpacing(), f.maxGap()));
            var r = new FastPathRunner(policy, new LocalEvidence(f.proc()), store, targets, node.verdicts()::fresh,
                    new FastPathMetrics(node.registry()), node.clock());
            r.start(f.interval());
            return r;
        });
        if (started) {
            LOG.infof("crash fast path on: checking %s:%d and %s:%d every %d ms; releases %s only when both are dead in %d checks",
                    targets.patroniHost(), targets.patroniPort(), targets.postgresHost(), targets.postgresPort(),
                    f.interval().toMillis(), leader, f.confirmations());
        }
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
        return runner.runner().map(FastPathRunner::state);
    }

    /** Empty while running; otherwise the one-line reason it is off. */
    public String offReason() {
        return runner.offReason();
    }

    @Override
    public void stop() {
        if (waiter != null) {
            waiter.shutdownNow();
        }
        runner.close();
    }

    @Override
    public String slot() {
        return "fastPath";
    }

    /** Whether it runs and how often it released the leader key. */
    @Override
    public Object facts() {
        // Counts, not the decision sentence: a sentence that changes each check would rewrite the key each time.
        return state().map(s -> (Object) Map.of("running", true, "releases", s.releases()))
                .orElse(Map.of("running", false));
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
}
