package io.pgha.agent.fastpath;

import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** {@code pgha.fast-path.*}: the crash fast path (docs/fast-path.md has the safety argument). */
public interface FastPathConfig {

    /** Off by default: turning it on is a decision about this node's process visibility. */
    @WithDefault("false")
    boolean enabled();

    /** Time between checks; two confirmations at this spacing bound the detection time. */
    @WithDefault("250ms")
    Duration interval();

    @WithDefault("2")
    int confirmations();

    @WithDefault("100ms")
    Duration minSpacing();

    /** A check older than this breaks the chain of confirmations. */
    @WithDefault("1s")
    Duration maxGap();

    /** Each TCP connect; a loopback or LAN refusal comes back in well under a millisecond. */
    @WithDefault("150ms")
    Duration connectTimeout();

    /** The quorum read and the guarded delete; shorter than max-gap so a slow etcd breaks no chain. */
    @WithDefault("500ms")
    Duration etcdTimeout();

    /** PostgreSQL's data directory as this agent sees it (read-only is enough): holds postmaster.pid. */
    Optional<Path> dataDir();

    /** Text in this node's Patroni command line, where several nodes share a process table. */
    Optional<String> patroniMatch();

    /** Where the process table is; a container needs the host's (pid: host). */
    @WithDefault("/proc")
    Path proc();

    /** Settings that would make this feature act wrongly; each names the property and its env variable. */
    static java.util.List<String> problems(FastPathConfig f) {
        java.util.List<String> p = new java.util.ArrayList<>();
        if (f.confirmations() < 2) {
            p.add(io.pgha.agent.setting.Setting.bad("pgha.fast-path.confirmations", "must be at least 2 (one check proves nothing), got " + f.confirmations()));
        }
        if (!io.pgha.agent.setting.Setting.positive(f.interval()) || f.interval().compareTo(f.maxGap()) >= 0) {
            p.add(io.pgha.agent.setting.Setting.bad("pgha.fast-path.interval", "must be positive and shorter than pgha.fast-path.max-gap (" + f.maxGap() + ")"));
        }
        if (f.minSpacing().isNegative() || f.minSpacing().compareTo(f.interval()) > 0) {
            p.add(io.pgha.agent.setting.Setting.bad("pgha.fast-path.min-spacing", "must be between 0 and pgha.fast-path.interval (" + f.interval() + ")"));
        }
        if (!io.pgha.agent.setting.Setting.positive(f.connectTimeout()) || f.connectTimeout().compareTo(f.interval()) >= 0) {
            p.add(io.pgha.agent.setting.Setting.bad("pgha.fast-path.connect-timeout", "must be positive and shorter than pgha.fast-path.interval"));
        }
        if (!io.pgha.agent.setting.Setting.positive(f.etcdTimeout()) || f.etcdTimeout().compareTo(f.maxGap()) >= 0) {
            p.add(io.pgha.agent.setting.Setting.bad("pgha.fast-path.etcd-timeout", "must be positive and shorter than pgha.fast-path.max-gap"));
        }
        return p;
    }
}
