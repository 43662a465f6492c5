package io.pgha.agent.hook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.PutOption;
import io.pgha.agent.gossip.HookStatus;
import io.pgha.agent.gossip.PublishPolicy.Decision;
import io.pgha.agent.gossip.ViewParser.KeyChange;
import io.pgha.agent.metrics.AgentMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

    private final Supplier<Client> client;
    private final String key;
    private final Supplier<HookStatus> source;
    private final HookViewPolicy policy;
    private final ObjectMapper json;
    private final AgentMetrics metrics;
    private final long ttlSeconds;
    private final Duration callTimeout;
    private final Clock clock;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pgha-hook-publish");
        t.setDaemon(true);
        return t;
    });
    // Touched by the publisher thread; tampered also by the watcher thread.
    private volatile long leaseId;
    private volatile byte[] writtenBytes;
    private volatile boolean tampered;
    private HookStatus written;
    private Instant lastPut;
    private String lastReason = "";

    public HookViewPublisher(Supplier<Client> client, String key, Supplier<HookStatus> source, HookViewPolicy policy,
            ObjectMapper json, AgentMetrics metrics, Duration leaseTtl, Duration callTimeout, Clock clock) {
        this.client = client;
        this.key = key;
        this.source = source;
        this.policy = policy;
        this.json = json;
        this.metrics = metrics;
        this.ttlSeconds = leaseTtl.toSeconds();
        this.callTimeout = callTimeout;
        this.clock = clock;
    }

    public void start(Duration interval) {
        thread.scheduleWithFixedDelay(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The watcher reports every key it sees; our key holding something we did not write is rewritten. */
    public void seen(KeyChange change) {
        if (change.key().equals(key) && writtenBytes != null && !Arrays.equals(change.value(), writtenBytes)) {
            tampered = true;
        }
    }

    void tick() {
        HookStatus current = source.get();
        Instant now = clock.instant();
        Decision d = policy.publish(current, written, leaseId != 0, tampered, lastPut, now);
        if (!d.reason().equals(lastReason) && d.step() == io.pgha.agent.gossip.PublishPolicy.Step.GRANT_AND_PUT) {
            LOG.infof("hook view: %s", d.reason());
        }
        lastReason = d.reason();
        try {
            switch (d.step()) {
                case WAIT -> { }
                case GRANT_AND_PUT -> {
                    revokeQuietly(leaseId);
                    leaseId = 0;
                    leaseId = client.get().getLeaseClient().grant(ttlSeconds)
                            .get(callTimeout.toMillis(), TimeUnit.MILLISECONDS).getID();
                    put(current, now);
                    LOG.infof("hook view: published %s on lease %x (ttl %d s)", key, leaseId, ttlSeconds);
                }
                case PUT -> put(current, now);
                case KEEP_ALIVE -> {
                    LeaseKeepAliveResponse r = client.get().getLeaseClient().keepAliveOnce(leaseId)
                            .get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
                    if (r.getTTL() <= 0) {
                        throw new IllegalStateException("lease " + Long.toHexString(leaseId) + " expired");
                    }
                }
            }
            metrics.gossip("hook-publish", "ok");
        } catch (Exception e) {
            metrics.gossip("hook-publish", e instanceof TimeoutException ? "timeout" : "error");
            if (leaseId != 0) {
                LOG.warnf("hook view: publishing %s failed (%s); will grant a new lease and republish", key, e);
            }
            leaseId = 0;
        }
    }

    private void put(HookStatus status, Instant now) throws Exception {
        byte[] body = json.writeValueAsBytes(status.publishedAt(now.toEpochMilli()));
        client.get().getKVClient().put(ByteSequence.from(key, StandardCharsets.UTF_8), ByteSequence.from(body),
                PutOption.builder().withLeaseId(leaseId).build()).get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
        written = status;
        writtenBytes = body;
        lastPut = now;
        tampered = false;
    }

    private void revokeQuietly(long id) {
        if (id != 0) {
            try {
                client.get().getLeaseClient().revoke(id);
            } catch (RuntimeException e) {
                // best effort: the lease expires by itself
            }
        }
    }

    /** Revokes the lease on shutdown so HAProxy's view disappears now rather than after the TTL. */
    @Override
    public void close() {
        thread.shutdownNow();
        long id = leaseId;
        if (id != 0) {
            try {
                client.get().getLeaseClient().revoke(id).get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // the lease expires by itself
            }
        }
    }
}
