package io.pgha.agent.gossip;

import io.pgha.agent.etcd.LeasedKey;
import io.pgha.agent.gossip.PublishPolicy.Decision;
import io.pgha.agent.gossip.ViewParser.KeyChange;
import io.pgha.agent.job.Loop;
import io.pgha.agent.json.Json;
import io.pgha.agent.metrics.AgentMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Writes one value under its own key on a lease of pgha.gossip.lease-ttl, so that it disappears by itself within
 * the TTL when the process dies: this node's {@link AgentStatus} (every agent) and HAProxy's view, a
 * {@link HookStatus} (every hook), go out this way. Decides nothing: each tick takes the value from its source, asks
 * the publisher's {@link Rule} (a pure policy) whether to grant, put, keep alive or wait, and carries the step out
 * ({@link LeaseSteps}). Any failure drops the lease, so the next tick after etcd returns grants a new one and
 * republishes; agent-check and routing never depend on it (they read local facts).
 *
 * <p>Timeouts: each etcd call is cut at pgha.gossip.call-timeout (400 ms); a tick makes at most two (grant and
 * put), 800 ms, inside the 1 s publish interval, and ticks never overlap (one thread, fixed delay).
 */
public final class LeasePublisher<T> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LeasePublisher.class);

    /** What differs between the publishers, all of it pure: their policies implement it. */
    public interface Rule<T> {

        /**
         * @param current   the value to publish now, null when there is none yet
         * @param written   what was last written (as {@link #remembered}), null before the first write
         * @param lastPut   when it was written, null before the first write
         * @param renewedAt when the lease was last granted or kept alive, null when never
         */
        Decision step(T current, T written, boolean haveLease, boolean tampered, Instant lastPut, Instant renewedAt,
                Instant now);

        /** Whether a decision is news for the log when its reason differs from the last tick's. */
        boolean logged(Decision d);

        /** The value as it is written at {@code now}. */
        T stamped(T current, Instant now);

        /** What later ticks compare with: the facts of what was written that count as a change. */
        T remembered(T current);
    }

    /**
     * How one publisher shows: its thread, its log lines ({@code gossip: ...}), its {@code pgha_gossip_events}
     * name and, for a source that fails, what it could not build.
     */
    public record Names(String thread, String log, String metric, String value) {
    }

    private final LeasedKey lease;
    private final Supplier<T> source;
    private final Rule<T> rule;
    private final Names names;
    private final Json json;
    private final AgentMetrics metrics;
    private final Clock clock;
    private final Loop loop;
    // Touched by the publisher thread; tampered also by the watcher thread.
    private volatile T written;
    private volatile boolean tampered;
    private Instant lastPut;
    private Instant renewedAt;
    private String lastReason = "";

    public LeasePublisher(LeasedKey lease, Supplier<T> source, Rule<T> rule, Names names, Json json,
            AgentMetrics metrics, Clock clock) {
        this.lease = lease;
        this.source = source;
        this.rule = rule;
        this.names = names;
        this.json = json;
        this.metrics = metrics;
        this.clock = clock;
        this.loop = new Loop(names.thread(), this::tick,
                e -> LOG.errorf(e, "%s: a publish tick failed; the next one starts afresh", names.log()));
    }

    public void start(Duration interval) {
        loop.start(Duration.ZERO, interval);
    }

    /** The watcher reports every key it sees; our key holding something we did not write is rewritten. */
    public void seen(KeyChange change) {
        if (lease.overwritten(change.key(), change.value())) {
            tampered = true;
        }
    }

    void tick() {
        T current;
        try {
            current = source.get();
        } catch (RuntimeException e) {
            LOG.error("cannot build " + names.value(), e);
            return;
        }
        Instant now = clock.instant();
        Decision d = rule.step(current, written, lease.hasLease(), tampered, lastPut, renewedAt, now);
        if (!d.reason().equals(lastReason) && rule.logged(d)) {
            LOG.infof("%s: %s", names.log(), d.reason());
        }
        lastReason = d.reason();
        if (LeaseSteps.carryOut(lease, d.step(), () -> json.write(rule.stamped(current, now)), metrics, names.log(),
                names.metric())) {
            written = rule.remembered(current);
            lastPut = now;
            tampered = false;
        }
        if (!lease.hasLease()) {
            renewedAt = null;
        } else if (d.step() == PublishPolicy.Step.GRANT_AND_PUT || d.step() == PublishPolicy.Step.KEEP_ALIVE) {
            renewedAt = now;
        }
    }

    /** Revokes the lease on shutdown so the value disappears now rather than after the TTL. */
    @Override
    public void close() {
        loop.close();
        lease.close();
    }
}
