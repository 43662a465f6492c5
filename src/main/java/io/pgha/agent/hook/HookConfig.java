package io.pgha.agent.hook;

import io.pgha.agent.setting.Setting;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code pgha.hook.*}: the HAProxy hook (pgha.mode=hook) beside HAProxy. */
public interface HookConfig {

    /** HAProxy's admin stats socket ("stats socket ... level admin"). */
    @WithDefault("/run/haproxy/admin.sock")
    Path adminSocket();

    /** A view not confirmed by a quorum read for this long is not trusted: routing goes back to HAProxy's checks. */
    @WithDefault("3s")
    Duration confirmTimeout();

    /** How often the hook compares HAProxy's servers with the view (also at once on every view change). */
    @WithDefault("200ms")
    Duration reconcileInterval();

    /**
     * For this long after the leader key changes, the hook keeps the new leader up in backend primary even when
     * HAProxy's checks (which lag the promotion by up to an agent-check interval) mark it down; after it, the
     * checks decide alone (a leader whose PostgreSQL died is theirs to take out).
     */
    @WithDefault("10s")
    Duration promotionGrace();

    /** Bound on one runtime-API exchange; two per round (show, set) stay well below confirm-timeout. */
    @WithDefault("500ms")
    Duration socketTimeout();

    /**
     * HAProxy's view as the hook sees it is written to etcd (for every agent's status page) on every change and
     * at least this often, so a reader can tell a live view from one whose writer or watch is stuck.
     */
    @WithDefault("10s")
    Duration viewRefresh();

    /** Run with the view as JSON on stdin after every change (sh -c). */
    Optional<String> command();

    @WithDefault("5s")
    Duration commandTimeout();

    Render render();

    /** Re-rendering HAProxy's server lines when membership or addresses change. */
    interface Render {
        /** A haproxy.cfg with "# pgha:servers <backend> <server options>" lines; off when unset. */
        Optional<Path> template();

        /** Where the rendered config goes (the file HAProxy runs). */
        Optional<Path> output();

        /** {file} is replaced by the candidate file; non-zero exit keeps the old config. */
        @WithDefault("haproxy -c -f {file}")
        String checkCommand();

        Optional<String> reloadCommand();

        /** "show servers state" is dumped here before a reload (HAProxy's server-state-file). */
        Optional<Path> serverStateFile();

        @WithDefault("10s")
        Duration commandTimeout();

        /**
         * A member whose key is gone (its node cut off, hung or rebooting: the key lives on Patroni's lease) stays
         * in the rendered config this long, DOWN by its checks, before it is dropped; a reload in between would
         * hand every established session to HAProxy's old worker, where no health check can cut it. 0 drops at once.
         */
        @WithDefault("5m")
        Duration keepDeparted();
    }

    static List<String> problems(HookConfig h) {
        List<String> p = new ArrayList<>();
        if (h.socketTimeout().isNegative() || h.socketTimeout().isZero()
                || h.socketTimeout().multipliedBy(2).compareTo(h.confirmTimeout()) >= 0) {
            p.add(Setting.bad("pgha.hook.socket-timeout", "must be positive and below half of pgha.hook.confirm-timeout"));
        }
        if (h.render().keepDeparted().isNegative()) {
            p.add(Setting.bad("pgha.hook.render.keep-departed", "must not be negative (0 drops a departed member at once), got "
                    + h.render().keepDeparted()));
        }
        if (h.reconcileInterval().toMillis() < 20) {
            p.add(Setting.bad("pgha.hook.reconcile-interval", "must be at least 20ms"));
        }
        if (h.viewRefresh().toMillis() < 1000) {
            p.add(Setting.bad("pgha.hook.view-refresh", "must be at least 1s (it bounds the hook's etcd writes)"));
        }
        if (h.render().template().isPresent() != h.render().output().isPresent()) {
            p.add(Setting.bad("pgha.hook.render.output", "must be set together with pgha.hook.render.template"));
        }
        return p;
    }
}
