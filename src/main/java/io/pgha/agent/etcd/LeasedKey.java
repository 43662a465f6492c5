package io.pgha.agent.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One etcd key whose value lives on this process's lease, so it vanishes within the TTL when the process
 * dies: the agent's status and the hook's view of HAProxy both publish this way. Only the etcd calls, each cut
 * at the call timeout; when to grant, put or keep alive is the publisher's policy. Not thread-safe for
 * writers (one publisher thread); {@link #overwritten} may be called from the watcher thread.
 */
public final class LeasedKey implements AutoCloseable {

    private final Supplier<Client> client;
    private final String key;
    private final long ttlSeconds;
    private final Duration callTimeout;
    private volatile long leaseId;
    private volatile byte[] written;

    public LeasedKey(Supplier<Client> client, String key, Duration leaseTtl, Duration callTimeout) {
        this.client = client;
        this.key = key;
        this.ttlSeconds = leaseTtl.toSeconds();
        this.callTimeout = callTimeout;
    }

    public String key() {
        return key;
    }

    public boolean hasLease() {
        return leaseId != 0;
    }

    /** For log lines: the lease in etcd's hex form and its TTL. */
    public String describeLease() {
        return "lease " + Long.toHexString(leaseId) + " (ttl " + ttlSeconds + " s)";
    }

    /** A fresh lease (the old one revoked, best effort) and the value on it. */
    public void grantAndPut(byte[] value) throws Exception {
        revokeQuietly(leaseId);
        leaseId = 0;
        leaseId = client.get().getLeaseClient().grant(ttlSeconds).get(callTimeout.toMillis(), TimeUnit.MILLISECONDS).getID();
        put(value);
    }

    public void put(byte[] value) throws Exception {
        client.get().getKVClient().put(ByteSequence.from(key, StandardCharsets.UTF_8), ByteSequence.from(value),
                PutOption.builder().withLeaseId(leaseId).build()).get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
        written = value;
    }

    public void keepAlive() throws Exception {
        LeaseKeepAliveResponse r = client.get().getLeaseClient().keepAliveOnce(leaseId)
                .get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
        if (r.getTTL() <= 0) {
            throw new IllegalStateException("lease " + Long.toHexString(leaseId) + " of " + key + " expired");
        }
    }

    /** After a failed call: the next publication grants a new lease. */
    public void dropLease() {
        leaseId = 0;
    }

    /** Whether a watched change shows our key holding something other than what we last wrote. */
    public boolean overwritten(String changedKey, byte[] value) {
        byte[] w = written;
        return changedKey.equals(key) && w != null && !Arrays.equals(value, w);
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

    /** Revokes the lease so the value disappears now rather than after the TTL. */
    @Override
    public void close() {
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
