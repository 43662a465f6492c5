package io.pgha.agent.gossip;

import io.pgha.agent.setting.Setting;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code pgha.gossip.*}: where agents publish their status in etcd and how long it lives there. */
public interface GossipConfig {

    /** Off: no publishing, no watching, /cluster answers 503. */
    @WithDefault("true")
    boolean enabled();

    /** Defaults to {@code /pgha/<scope>/agents/}; never inside Patroni's namespace. */
    Optional<String> prefix();

    /**
     * Where HAProxy hooks publish HAProxy's view (their own leased key each, {@code <prefix><hook name>}).
     * Defaults to {@code /pgha/<scope>/hook/}; never inside Patroni's namespace nor the agents' prefix.
     */
    Optional<String> hookPrefix();

    /** The key lives on a lease of this TTL: a dead agent's status disappears after it (a few loop intervals). */
    @WithDefault("5s")
    Duration leaseTtl();

    /** How often the publisher compares, rewrites on change or keeps the lease alive. */
    @WithDefault("1s")
    Duration publishInterval();

    /**
     * How often the watcher confirms its view with one quorum read of the leader key and the other keys' revisions;
     * the health loop takes the leader key from these reads, so it must stay below pgha.etcd.max-unreadable.
     */
    @WithDefault("1s")
    Duration confirmInterval();

    /** Bound on each etcd call of the publisher and the watcher; below the intervals (checked at startup). */
    @WithDefault("400ms")
    Duration callTimeout();

    /**
     * Bound on the watcher's quorum reads (the confirmation and the re-read), which the writer's fence is fed
     * from. A read counts from when it was sent, not from its answer, so a longer bound never lengthens the fence
     * (pgha.etcd.max-unreadable still runs from the last read sent that etcd answered); a short one turned a slow
     * link (a second of round trip, measured at 256 kbit/s) into reads that all failed and a fenced writer with
     * etcd still up. Below pgha.etcd.max-unreadable (checked at startup).
     */
    @WithDefault("2s")
    Duration confirmTimeout();

    static List<String> problems(GossipConfig g, Duration maxUnreadable) {
        List<String> p = new ArrayList<>();
        // The health loop takes the leader key from the watcher's confirmations (LeaderSource): confirming less
        // often than the fencing grace would let the writer's fence trip between two good reads.
        if (g.enabled() && g.confirmInterval().compareTo(maxUnreadable) >= 0) {
            p.add(Setting.bad("pgha.gossip.confirm-interval", "must be shorter than pgha.etcd.max-unreadable ("
                    + maxUnreadable.toMillis() + " ms): the health loop fences on the watcher's reads"));
        }
        if (g.enabled() && (g.confirmTimeout().isNegative() || g.confirmTimeout().isZero()
                || g.confirmTimeout().compareTo(maxUnreadable) >= 0)) {
            p.add(Setting.bad("pgha.gossip.confirm-timeout", "must be positive and shorter than pgha.etcd.max-unreadable ("
                    + maxUnreadable.toMillis() + " ms): a read cut later than the fence is no read for it"));
        }
        if (g.leaseTtl().toSeconds() < 2) {
            p.add(Setting.bad("pgha.gossip.lease-ttl", "must be at least 2s (etcd leases are whole seconds)"));
        }
        if (g.publishInterval().multipliedBy(2).compareTo(g.leaseTtl()) > 0) {
            p.add(Setting.bad("pgha.gossip.publish-interval",
                    "must be at most half of pgha.gossip.lease-ttl, or the lease expires between keep-alives"));
        }
        // grant + put happen in one publish tick, leader + agents' keys in one confirmation: two calls must fit.
        if (g.callTimeout().isNegative() || g.callTimeout().isZero()
                || g.callTimeout().multipliedBy(2).compareTo(g.publishInterval()) > 0
                || g.callTimeout().multipliedBy(2).compareTo(g.confirmInterval()) > 0) {
            p.add(Setting.bad("pgha.gossip.call-timeout",
                    "must be positive and at most half of pgha.gossip.publish-interval and of pgha.gossip.confirm-interval"));
        }
        g.prefix().ifPresent(prefix -> {
            if (!prefix.startsWith("/") || prefix.startsWith("/service/")) {
                p.add(Setting.bad("pgha.gossip.prefix", "must start with '/' and stay out of Patroni's /service/"));
            }
        });
        g.hookPrefix().ifPresent(prefix -> {
            if (!prefix.startsWith("/") || prefix.startsWith("/service/")) {
                p.add(Setting.bad("pgha.gossip.hook-prefix", "must start with '/' and stay out of Patroni's /service/"));
            }
        });
        return p;
    }

    /**
     * Whether the agents' and the hooks' prefixes overlap for this scope: a watcher would then read one's keys
     * as the other's (and skip them as garbage). Checked at startup, where the scope is known.
     */
    default Optional<String> prefixClash(String scope) {
        String a = prefixFor(scope);
        String h = hookPrefixFor(scope);
        return a.startsWith(h) || h.startsWith(a)
                ? Optional.of(Setting.bad("pgha.gossip.hook-prefix", "must not overlap pgha.gossip.prefix (" + a + ")"))
                : Optional.empty();
    }

    default String prefixFor(String scope) {
        String p = prefix().orElse("/pgha/" + scope + "/agents/");
        return p.endsWith("/") ? p : p + "/";
    }

    default String hookPrefixFor(String scope) {
        String p = hookPrefix().orElse("/pgha/" + scope + "/hook/");
        return p.endsWith("/") ? p : p + "/";
    }
}
