package io.pgha.agent.hook;

import io.etcd.jetcd.Client;
import io.pgha.agent.etcd.LeasedKey;
import io.pgha.agent.gossip.HookStatus;
import io.pgha.agent.gossip.LeaseSteps;
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
 * Writes the hook's {@link HookStatus} under {@code <hook prefix><name>} on a lease of pgha.gossip.lease-ttl, so
 * every agent's watcher (and so every status page) sees HAProxy's view, and it disappears within the TTL when
 * the hook dies. Decides nothing: {@link HookViewPolicy#publish} says grant, put or keep alive. Uses the
 * process's one jetcd client. Routing never depends on this: a failure only drops the lease, and the next tick
 * after etcd answers grants a new one and republishes.
 *
 * <p>Timeouts: each etcd call is cut at pgha.gossip.call-timeout (400 ms); a tick makes at most two (grant and
 * put), inside the 1 s publish interval, and ticks never overlap (one thread, fixed delay).
 */
public final class HookViewPublisher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HookViewPublisher.class);

    private final LeasedKey lease;
    private final Supplier<HookStatus> source;
    private final HookViewPolicy policy;
    private final Json json;
    private final AgentMetrics metrics;
    private final Clock clock;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pgha-hook-publish");
        t.setDaemon(true);
        return t;
    });
    // Touched by the publisher thread; tampered also by the watcher thread.
    private volatile boolean tampered;
    private HookStatus written;
    private Instant lastPut;
    private Instant renewedAt;
    private String lastReason = "";

    public HookViewPublisher(Supplier<Client> client, String key, Supplier<HookStatus> source, HookViewPolicy policy,
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
        HookStatus current = source.get();
        Instant now = clock.instant();
        Decision d = policy.publish(current, written, lease.hasLease(), tampered, lastPut, renewedAt, now);
        if (!d.reason().equals(lastReason) && d.step() == io.pgha.agent.gossip.PublishPolicy.Step.GRANT_AND_PUT) {
            LOG.infof("hook view: %s", d.reason());
        }
        lastReason = d.reason();
        if (LeaseSteps.carryOut(lease, d.step(), () -> json.write(current.publishedAt(now.toEpochMilli())),
                metrics, "hook view", "hook-publish")) {
            published(current, now);
        }
        if (!lease.hasLease()) {
            renewedAt = null;
        } else if (d.step() == io.pgha.agent.gossip.PublishPolicy.Step.GRANT_AND_PUT
                || d.step() == io.pgha.agent.gossip.PublishPolicy.Step.KEEP_ALIVE) {
            renewedAt = now;
        }
    }

    private void published(HookStatus status, Instant now) {
        written = status;
        lastPut = now;
        tampered = false;
    }

    /** Revokes the lease on shutdown so HAProxy's view disappears now rather than after the TTL. */
    @Override
    public void close() {
        thread.shutdownNow();
        lease.close();
    }
}
