package io.pgha.agent.watchdog;

import io.pgha.agent.config.AgentConfig;
import io.pgha.agent.fastpath.CrashEvidence.PostmasterState;
import io.pgha.agent.fastpath.LocalEvidence;
import io.pgha.agent.http.Endpoints;
import io.pgha.agent.http.Routes;
import io.pgha.agent.job.Job;
import io.pgha.agent.job.JobContext;
import io.pgha.agent.job.OnOff;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Starts the leader watchdog when it is on and has a data directory to find the postmaster by; otherwise says in
 * one line why it is off. {@code GET /watchdog}: whether it runs, its last decision and the fences so far.
 */
@Singleton
public class WatchdogJob implements Job, Routes {

    private static final Logger LOG = Logger.getLogger(WatchdogJob.class);
    /** An immediate shutdown ends within milliseconds; this long means the postmaster is stuck (SIGSTOP, D state). */
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);

    private final JobContext node;
    private final OnOff<WatchdogRunner> runner = new OnOff<>("not started yet");

    public WatchdogJob(JobContext node) {
        this.node = node;
    }

    @Override
    public void start() {
        AgentConfig config = node.config();
        WatchdogConfig w = config.watchdog();
        Optional<Path> dataDir = w.dataDir().or(() -> config.fastPath().dataDir());
        Optional<String> why = !w.enabled() ? Optional.of("pgha.watchdog.enabled [PGHA_WATCHDOG_ENABLED] is false")
                : !"agent".equals(config.mode())
                        ? Optional.of("pgha.mode is " + config.mode() + ": only an agent beside PostgreSQL watches its lease")
                : dataDir.isEmpty() ? Optional.of("no data directory: set pgha.watchdog.data-dir [PGHA_WATCHDOG_DATA_DIR] "
                        + "(or pgha.fast-path.data-dir) so the postmaster to stop can be found by its PID file")
                : Optional.empty();
        if (why.isPresent()) {
            runner.off(why.get());
            LOG.info("leader watchdog off: " + why.get());
            return;
        }
        Path dir = dataDir.get();
        LocalEvidence local = new LocalEvidence(config.fastPath().proc());
        boolean started = runner.on(() -> {
            var r = new WatchdogRunner(config.nodeName(), new WatchdogPolicy(w.safetyMargin()), node.verdicts(),
                    new EtcdLeaseReader(node.etcd(), w.leaseTimeout()), new PostmasterStopper(local, dir, STOP_GRACE),
                    () -> alive(local.postmaster(dir)), new WatchdogMetrics(node.registry()), node.clock(),
                    System::nanoTime);
            r.start(w.interval());
            return r;
        });
        if (started) {
            LOG.infof("leader watchdog on: while this node holds the leader key and PostgreSQL in %s is read-write, it "
                    + "stops PostgreSQL when the key's lease has %d ms or less left", dir, w.safetyMargin().toMillis());
        }
    }

    /** A postmaster that might still take writes: running, leaving orphans, or not readable. */
    private static boolean alive(PostmasterState s) {
        return s == PostmasterState.ALIVE || s == PostmasterState.ORPHANS || s == PostmasterState.UNKNOWN;
    }

    @Override
    public void stop() {
        runner.close();
    }

    /** Nothing in the published status: what it decides concerns this node only, and /watchdog shows it. */
    @Override
    public String slot() {
        return null;
    }

    @Override
    public Object facts() {
        return null;
    }

    @Override
    public void register(Endpoints on) {
        on.json("/watchdog", this::body);
    }

    Map<String, Object> body() {
        Map<String, Object> out = new LinkedHashMap<>();
        Optional<WatchdogRunner.State> state = runner.runner().map(WatchdogRunner::state);
        out.put("running", state.isPresent());
        if (state.isEmpty()) {
            out.put("off", runner.offReason());
            return out;
        }
        WatchdogRunner.State s = state.get();
        out.put("cause", s.decision().cause());
        out.put("decision", s.decision().reason());
        out.put("fences", s.fences());
        if (s.lastFenceAt() != null) {
            out.put("lastFenceAt", s.lastFenceAt().toString());
            out.put("lastFence", s.lastFence());
        }
        return out;
    }
}
