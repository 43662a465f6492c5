package io.pgha.agent.gossip;

import io.etcd.jetcd.Client;
import io.pgha.agent.etcd.LeasedKey;
import io.pgha.agent.gossip.PublishPolicy.Decision;
import io.pgha.agent.gossip.ViewParser.KeyChange;
import io.pgha.agent.json.Json;
import io.pgha.agent.metrics.AgentMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Writes this node's {@link AgentStatus} under {@code <prefix><node>}, bound to a lease of pgha.gossip.lease-ttl
 * so a dead agent's status disappears by itself. Decides nothing: {@link PublishPolicy} says whether to grant,
 * put or keep alive. Any failure drops the lease, so the next tick after etcd returns grants a new one and
 * republishes; agent-check never depends on this (it reads the local VerdictStore).
 *
 * <p>Timeouts: each etcd call is cut at pgha.gossip.call-timeout (400 ms); a tick makes at most two (grant and
 * put), 800 ms, inside the 1 s publish interval, and ticks never overlap (one thread, fixed delay).
 */
public final class StatusPublisher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StatusPublisher.class);

    private final LeasedKey lease;
    private final Supplier<AgentStatus> source;
    private final PublishPolicy policy;
    private final Json json;
    private final AgentMetrics metrics;
    private final Clock clock;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pgha-gossip-publish");
        t.setDaemon(true);
        return t;
    });
    // Touched by the publisher thread; tampered also by the watcher thread.
    private volatile AgentStatus written;
    private volatile boolean tampered;
    private String lastReason = "";
    private Instant renewedAt;

    public StatusPublisher(Supplier<Client> client, String key, Supplier<AgentStatus> source, PublishPolicy policy,
            Json json, AgentMetrics metrics, Duration leaseTtl, Duration callTimeout, Clock clock) {
        this.lease = new LeasedKey(client, key, leaseTtl, callTimeout);
        this.source = source;
        this.policy = policy;
        this.json = json;
        this.metrics = metrics;
        this.clock = clock;
    }

    public void start(Duration interval) {
        thread.scheduleWithFixedDelay(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The watcher reports every key it sees; our key holding something we did not write is rewritten. */
    public void seen(KeyChange change) {
        if (lease.overwritten(change.key(), change.value())) {
            tampered = true;
        }
    }

    void tick() {
        AgentStatus current;
        try {
            current = source.get();
        } catch (RuntimeException e) {
            LOG.error("cannot build this node's status", e);
            return;
        }
        Instant now = clock.instant();
        Decision d = policy.decide(current, written, lease.hasLease(), tampered, renewedAt, now);
        if (!d.reason().equals(lastReason) && d.step() != PublishPolicy.Step.KEEP_ALIVE
                && !d.reason().equals(PublishPolicy.FRESH)) {
            LOG.infof("gossip: %s", d.reason());
        }
        lastReason = d.reason();
        if (LeaseSteps.carryOut(lease, d.step(), () -> json.write(current), metrics, "gossip", "publish")) {
            published(current);
        }
        if (!lease.hasLease()) {
            renewedAt = null;
        } else if (d.step() == PublishPolicy.Step.GRANT_AND_PUT || d.step() == PublishPolicy.Step.KEEP_ALIVE) {
            renewedAt = now;
        }
    }

    private void published(AgentStatus status) {
        written = status.timeless();
        tampered = false;
    }

    /** Revokes the lease on shutdown so the status disappears now rather than after the TTL. */
    @Override
    public void close() {
        thread.shutdownNow();
        lease.close();
    }
}
