package io.pgha.agent.watchdog;

import io.micrometer.core.instrument.MeterRegistry;
import io.pgha.agent.config.AgentConfig;
import io.pgha.agent.etcd.EtcdClientHolder;
import io.pgha.agent.fastpath.CrashEvidence.PostmasterState;
import io.pgha.agent.fastpath.LocalEvidence;
import io.pgha.agent.health.VerdictStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Starts the watchdog when it is on and can see the data directory; otherwise says in one line why it is off. */
@Singleton
public class WatchdogLifecycle {

    private static final Logger LOG = Logger.getLogger(WatchdogLifecycle.class);
    /** An immediate shutdown ends within milliseconds; this long means the postmaster is stuck (SIGSTOP, D state). */
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);

    private final AgentConfig config;
    private final EtcdClientHolder etcd;
    private final VerdictStore verdicts;
    private final MeterRegistry registry;
    private final Clock clock;
    private volatile WatchdogRunner runner;
    private volatile String off = "not started yet";

    public WatchdogLifecycle(AgentConfig config, EtcdClientHolder etcd, VerdictStore verdicts, MeterRegistry registry,
            Clock clock) {
        this.config = config;
        this.etcd = etcd;
        this.verdicts = verdicts;
        this.registry = registry;
        this.clock = clock;
    }

    void onStart(@Observes @Priority(20) StartupEvent event) {
        WatchdogConfig w = config.watchdog();
        Optional<Path> dataDir = w.dataDir().or(() -> config.fastPath().dataDir());
        if (!w.enabled()) {
            off = "pgha.watchdog.enabled [PGHA_WATCHDOG_ENABLED] is false";
        } else if (!"agent".equals(config.mode())) {
            off = "pgha.mode is " + config.mode() + ": only an agent beside PostgreSQL watches its lease";
        } else if (dataDir.isEmpty()) {
            off = "no data directory: set pgha.watchdog.data-dir [PGHA_WATCHDOG_DATA_DIR] (or pgha.fast-path.data-dir) "
                    + "so the postmaster to stop can be found by its PID file";
        }
        if (!w.enabled() || !"agent".equals(config.mode()) || dataDir.isEmpty()) {
            LOG.info("leader watchdog off: " + off);
            return;
        }
        LocalEvidence local = new LocalEvidence(config.fastPath().proc());
        Path dir = dataDir.get();
        runner = new WatchdogRunner(config.nodeName(), new WatchdogPolicy(w.safetyMargin()), verdicts,
                new EtcdLeaseReader(etcd, w.leaseTimeout()), new PostmasterStopper(local, dir, STOP_GRACE),
                () -> alive(local.postmaster(dir)), new WatchdogMetrics(registry), clock, System::nanoTime);
        runner.start(w.interval());
        off = "";
        LOG.infof("leader watchdog on: while this node holds the leader key and PostgreSQL in %s is read-write, it "
                + "stops PostgreSQL when the key's lease has %d ms or less left", dir, w.safetyMargin().toMillis());
    }

    private static boolean alive(PostmasterState s) {
        return s == PostmasterState.ALIVE || s == PostmasterState.ORPHANS || s == PostmasterState.UNKNOWN;
    }

    Optional<WatchdogRunner.State> state() {
        WatchdogRunner r = runner;
        return r == null ? Optional.empty() : Optional.of(r.state());
    }

    String offReason() {
        return off;
    }

    void onStop(@Observes ShutdownEvent event) {
        WatchdogRunner r = runner;
        if (r != null) {
            r.close();
        }
    }
}
