package io.pgha.agent.watchdog;

import io.pgha.agent.setting.Setting;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code pgha.watchdog.*}: the leader watchdog (docs/agent.md, "Leader watchdog"). */
public interface WatchdogConfig {

    /**
     * Off by default: on, the agent stops this node's PostgreSQL, which needs the right to signal the postmaster
     * (the same user, or the same PID namespace in Compose) and a data directory it can read.
     */
    @WithDefault("false")
    boolean enabled();

    /** Time between checks of the lease. */
    @WithDefault("1s")
    Duration interval();

    /**
     * Stop PostgreSQL when the leader key's lease has this much or less left (Patroni's own watchdog
     * safety_margin is 5 s). It must cover one interval, one lease read and the stop, and no member is promoted
     * before the key has expired and the others' Patroni have noticed.
     */
    @WithDefault("5s")
    Duration safetyMargin();

    /** Bound on each lease read from etcd. */
    @WithDefault("500ms")
    Duration leaseTimeout();

    /** PostgreSQL's data directory (holds postmaster.pid); defaults to pgha.fast-path.data-dir. */
    Optional<Path> dataDir();

    static List<String> problems(WatchdogConfig w) {
        List<String> p = new ArrayList<>();
        if (!Setting.positive(w.interval()) || w.interval().toMillis() < 100) {
            p.add(Setting.bad("pgha.watchdog.interval", "must be at least 100ms, got " + w.interval()));
        }
        if (!Setting.positive(w.leaseTimeout()) || w.leaseTimeout().compareTo(w.interval()) >= 0) {
            p.add(Setting.bad("pgha.watchdog.lease-timeout", "must be positive and shorter than "
                    + "pgha.watchdog.interval (" + w.interval() + ")"));
        }
        Duration floor = w.interval().multipliedBy(2).plus(w.leaseTimeout());
        if (w.safetyMargin().compareTo(floor) < 0 || w.safetyMargin().compareTo(Duration.ofSeconds(15)) > 0) {
            p.add(Setting.bad("pgha.watchdog.safety-margin", "must be between two intervals plus the lease timeout ("
                    + floor + ") and 15s (Patroni's ttl is at least 20s), got " + w.safetyMargin()));
        }
        return p;
    }
}
