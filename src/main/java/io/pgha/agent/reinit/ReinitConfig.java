package io.pgha.agent.reinit;

import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code pgha.reinit.*}: re-initialising drifted replicas (docs/reinit.md). */
public interface ReinitConfig {

    /** Off by default: wiping a replica's data directory is the operator's call to automate. */
    @WithDefault("false")
    boolean enabled();

    /** Decide and report, never act. */
    @WithDefault("false")
    boolean dryRun();

    /** Consecutive loops a signal must be seen in (on top of its duration). */
    @WithDefault("3")
    int loops();

    @WithDefault("60s")
    Duration notStreamingFor();

    @WithDefault("60s")
    Duration timelineBehindFor();

    @WithDefault("60s")
    Duration startFailedFor();

    @WithDefault("300s")
    Duration lagHardFor();

    /** Lag behind the leader (Patroni's /cluster) above which LAG_HARD counts. */
    @WithDefault("1073741824")
    long lagHardBytes();

    @WithDefault("60s")
    Duration rewindFailedFor();

    @WithDefault("10m")
    Duration cooldown();

    @WithDefault("3")
    int maxPerHour();

    /** Healthy members besides this node (the leader counts) required before wiping it. */
    @WithDefault("1")
    int minHealthyOthers();

    /** How long to follow a reinit before calling it failed. */
    @WithDefault("15m")
    Duration followTimeout();

    /** TTL of the cluster-wide lock's lease; kept alive while the reinit runs. */
    @WithDefault("30s")
    Duration lockTtl();
}
