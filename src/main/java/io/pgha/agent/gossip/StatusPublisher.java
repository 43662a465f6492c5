package io.pgha.agent.gossip;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.PutOption;
import io.pgha.agent.gossip.PublishPolicy.Decision;
import io.pgha.agent.gossip.ViewParser.KeyChange;
import io.pgha.agent.metrics.AgentMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

    private final Supplier<Client> client;
    private final String key;
    private final Supplier<AgentStatus> source;
    private final PublishPolicy policy;
    private final ObjectMapper json;
    private final AgentMetrics metrics;
    private final long ttlSeconds;
    private final Duration callTimeout;
    private final Clock clock;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pgha-gossip-publish");
        t.setDaemon(true);
        return t;
    });
    // Touched by the publisher thread; tampered also by the watcher thread.
    private volatile long leaseId;
    private volatile AgentStatus written;
    private volatile byte[] writtenBytes;
    private volatile boolean tampered;
    private String lastReason = "";

    public StatusPublisher(Supplier<Client> client, String key, Supplier<AgentStatus> source, PublishPolicy policy,
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
        AgentStatus current;
        try {
            current = source.get();
        } catch (RuntimeException e) {
            LOG.error("cannot build this node's status", e);
            return;
        }
        Decision d = policy.decide(current, written, leaseId != 0, tampered, clock.instant());
        if (!d.reason().equals(lastReason) && d.step() != PublishPolicy.Step.KEEP_ALIVE) {
            LOG.infof("gossip: %s", d.reason());
        }
        lastReason = d.reason();
        try {
            switch (d.step()) {
                case WAIT -> { }
                case GRANT_AND_PUT -> {
                    revokeQuietly(leaseId);
                    leaseId = 0;
                    long id = client.get().getLeaseClient().grant(ttlSeconds)
                            .get(callTimeout.toMillis(), TimeUnit.MILLISECONDS).getID();
                    leaseId = id;
                    put(current);
                    LOG.infof("gossip: published %s on new lease %x (ttl %d s)", key, id, ttlSeconds);
                }
                case PUT -> put(current);
                case KEEP_ALIVE -> {
                    LeaseKeepAliveResponse r = client.get().getLeaseClient().keepAliveOnce(leaseId)
                            .get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
                    if (r.getTTL() <= 0) {
                        throw new IllegalStateException("lease " + Long.toHexString(leaseId) + " expired");
                    }
                }
            }
            metrics.gossip("publish", "ok");
        } catch (Exception e) {
            metrics.gossip("publish", e instanceof TimeoutException ? "timeout" : "error");
            if (leaseId != 0) {
                LOG.warnf("gossip: publishing %s failed (%s); will grant a new lease and republish", key, e);
            }
            leaseId = 0;
        }
    }

    private void put(AgentStatus status) throws Exception {
        byte[] body = serialize(status);
        client.get().getKVClient().put(ByteSequence.from(key, StandardCharsets.UTF_8), ByteSequence.from(body),
                PutOption.builder().withLeaseId(leaseId).build()).get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
        written = status.timeless();
        writtenBytes = body;
        tampered = false;
    }

    private byte[] serialize(AgentStatus s) throws JsonProcessingException {
        return json.writeValueAsBytes(s);
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

    /** Revokes the lease on shutdown so the status disappears now rather than after the TTL. */
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
