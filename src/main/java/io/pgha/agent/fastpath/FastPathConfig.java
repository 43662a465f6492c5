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
}
