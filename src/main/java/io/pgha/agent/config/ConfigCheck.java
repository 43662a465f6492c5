package io.pgha.agent.config;

import static io.pgha.agent.setting.Setting.bad;
import static io.pgha.agent.setting.Setting.positive;

import io.pgha.agent.security.AdminCheck;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds settings that would make the agent answer wrongly rather than fail loudly. Each problem names the
 * property and its env variable, because operators set these through an env file. The features' own settings
 * are checked by their own code, called from here; all of it words problems with {@link io.pgha.agent.setting.Setting},
 * so those checks need nothing from this package.
 */
public final class ConfigCheck {

    private ConfigCheck() {
    }

    public static List<String> problems(AgentConfig c) {
        List<String> p = new ArrayList<>();
        if (c.nodeName().isBlank()) {
            p.add(bad("pgha.node-name", "must name this node's Patroni member"));
        }
        if (c.scope().isBlank() || c.scope().contains("/")) {
            p.add(bad("pgha.scope", "must be a non-empty Patroni scope without '/'"));
        }
        if (!c.namespace().startsWith("/")) {
            p.add(bad("pgha.namespace", "must start with '/' like Patroni's namespace (default /service)"));
        }
        if (!isHttpUrl(c.patroni().url())) {
            p.add(bad("pgha.patroni.url", "must be an http(s) URL with a host, got '" + c.patroni().url() + "'"));
        }
        if (!c.postgres().url().startsWith("jdbc:postgresql:")) {
            p.add(bad("pgha.postgres.url", "must be a jdbc:postgresql: URL, got '" + c.postgres().url() + "'"));
        }
        c.postgres().passwordFile().ifPresent(f -> {
            if (!Files.isReadable(f)) {
                p.add(bad("pgha.postgres.password-file", "cannot read " + f));
            }
        });
        if (c.etcd().endpoints().isEmpty()) {
            p.add(bad("pgha.etcd.endpoints", "needs at least one http(s) URL"));
        }
        for (String e : c.etcd().endpoints()) {
            if (!isHttpUrl(e) || URI.create(e.trim()).getPort() < 0) {
                p.add(bad("pgha.etcd.endpoints", "'" + e + "' is not an http(s) URL with host and port"));
            }
        }
        if (!positive(c.etcd().maxUnreadable())) {
            p.add(bad("pgha.etcd.max-unreadable", "must be positive"));
        }
        int port = c.agentCheck().port();
        if (port < 0 || port > 65535) {
            p.add(bad("pgha.agent-check.port", "must be 0..65535, got " + port));
        }
        if (c.agentCheck().host().isBlank()) {
            p.add(bad("pgha.agent-check.host", "must be an address to bind"));
        }
        Duration read = c.agentCheck().readTimeout();
        if (!positive(read) || read.toMillis() > 1000) {
            p.add(bad("pgha.agent-check.read-timeout", "must be between 1ms and 1s (HAProxy waits on it)"));
        }
        Duration interval = c.loop().interval();
        if (interval.toMillis() < 100) {
            p.add(bad("pgha.loop.interval", "must be at least 100ms, got " + interval));
        }
        Duration probe = c.loop().probeTimeout();
        if (!positive(probe) || probe.compareTo(interval) >= 0) {
            p.add(bad("pgha.loop.probe-timeout",
                    "must be positive and shorter than pgha.loop.interval (" + interval + "), got " + probe));
        }
        AgentConfig.Lag lag = c.lag();
        if (lag.weightStartBytes() < 0 || lag.weightStartBytes() >= lag.softBytes()) {
            p.add(bad("pgha.lag.weight-start-bytes", "must be >= 0 and below pgha.lag.soft-bytes"));
        }
        if (lag.softBytes() >= lag.hardBytes()) {
            p.add(bad("pgha.lag.soft-bytes", "must be below pgha.lag.hard-bytes"));
        }
        if (!positive(lag.softSeconds()) || lag.softSeconds().compareTo(lag.hardSeconds()) >= 0) {
            p.add(bad("pgha.lag.soft-seconds", "must be positive and below pgha.lag.hard-seconds"));
        }
        if (lag.reconnectGrace().isNegative() || lag.reconnectGrace().compareTo(lag.hardSeconds()) >= 0) {
            p.add(bad("pgha.lag.reconnect-grace", "must be >= 0 and below pgha.lag.hard-seconds ("
                    + lag.hardSeconds() + "), got " + lag.reconnectGrace()));
        }
        String mode = c.maintenance().mode();
        if (!mode.equalsIgnoreCase("maint") && !mode.equalsIgnoreCase("drain")) {
            p.add(bad("pgha.maintenance.mode", "must be maint or drain, got '" + mode + "'"));
        }
        p.addAll(io.pgha.agent.fastpath.FastPathConfig.problems(c.fastPath()));
        p.addAll(io.pgha.agent.reinit.ReinitConfig.problems(c.reinit()));
        p.addAll(io.pgha.agent.watchdog.WatchdogConfig.problems(c.watchdog()));
        if (c.watchdog().enabled() && !c.gossip().enabled()) {
            p.add(bad("pgha.watchdog.enabled", "needs pgha.gossip.enabled=true: the watchdog learns the leader key's "
                    + "lease from the cluster watcher"));
        }
        if (c.reinit().enabled() && !c.gossip().enabled()) {
            p.add(bad("pgha.reinit.enabled", "needs pgha.gossip.enabled=true: a reinit waits for the leader's own agent "
                    + "to confirm, in the gossip, that the leader takes writes"));
        }
        if (!c.mode().equals("agent") && !c.mode().equals("hook")) {
            p.add(bad("pgha.mode", "must be agent or hook, got '" + c.mode() + "'"));
        }
        p.addAll(io.pgha.agent.gossip.GossipConfig.problems(c.gossip(), c.etcd().maxUnreadable()));
        p.addAll(io.pgha.agent.hook.HookConfig.problems(c.hook()));
        p.addAll(io.pgha.agent.backup.BackupConfigCheck.problems(c.backup()));
        p.addAll(AdminCheck.problems(c.admin()));
        p.addAll(TlsCheck.problems(c));
        return p;
    }

    private static boolean isHttpUrl(String s) {
        try {
            URI u = URI.create(s.trim());
            return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
