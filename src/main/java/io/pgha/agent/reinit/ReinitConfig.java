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

    /** Patroni's "stopped" without pause: also what it says during crash recovery and pg_rewind, so much longer. */
    @WithDefault("5m")
    Duration leftStoppedFor();

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

    /** Settings that would make this feature act wrongly; each names the property and its env variable. */
    static java.util.List<String> problems(ReinitConfig r) {
        java.util.List<String> p = new java.util.ArrayList<>();
        if (r.loops() < 2) {
            p.add(io.pgha.agent.setting.Setting.bad("pgha.reinit.loops", "must be at least 2 (a signal must persist), got " + r.loops()));
        }
        if (r.maxPerHour() < 1) {
            p.add(io.pgha.agent.setting.Setting.bad("pgha.reinit.max-per-hour", "must be at least 1; set pgha.reinit.enabled=false to turn reinits off"));
        }
        if (r.minHealthyOthers() < 1) {
            p.add(io.pgha.agent.setting.Setting.bad("pgha.reinit.min-healthy-others", "must be at least 1 (the leader to copy from)"));
        }
        if (r.cooldown().isNegative() || !io.pgha.agent.setting.Setting.positive(r.followTimeout()) || r.lockTtl().toSeconds() < 5) {
            p.add(io.pgha.agent.setting.Setting.bad("pgha.reinit.cooldown", "cool-down must be >= 0, follow-timeout positive and lock-ttl at least 5s"));
        }
        return p;
    }
}
