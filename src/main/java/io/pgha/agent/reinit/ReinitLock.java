package io.pgha.agent.reinit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One reinit at a time across the cluster: a key created only if absent, bound to a lease that this
 * agent keeps alive while it runs. An agent that dies mid-reinit frees the lock when its lease ends.
 */
public final class ReinitLock {
    private final Supplier<Client> client;
    private final ByteSequence key;
    private final Duration ttl;
    private final Duration timeout;
    private volatile long lease;
    private volatile AutoCloseable keepAlive;

    public ReinitLock(Supplier<Client> client, String key, Duration ttl, Duration timeout) {
        this.client = client;
        this.key = ByteSequence.from(key, StandardCharsets.UTF_8);
        this.ttl = ttl;
        this.timeout = timeout;
    }

    /** Who holds the lock now, or empty. */
    public Optional<String> holder() throws Exception {
        var r = await(client.get().getKVClient().get(key));
        return r.getKvs().stream().findFirst().map(kv -> kv.getValue().toString(StandardCharsets.UTF_8));
    }

    /** Takes the lock for {@code node}; false when someone else holds it. */
    public boolean acquire(String node) throws Exception {
        long id = await(client.get().getLeaseClient().grant(ttl.toSeconds())).getID();
        var txn = await(client.get().getKVClient().txn()
                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0)))
                .Then(Op.put(key, ByteSequence.from(node, StandardCharsets.UTF_8), PutOption.builder().withLeaseId(id).build()))
                .commit());
        if (!txn.isSucceeded()) {
            await(client.get().getLeaseClient().revoke(id));
            return false;
        }
        lease = id;
        keepAlive = client.get().getLeaseClient().keepAlive(id, new io.grpc.stub.StreamObserver<>() {
            @Override
            public void onNext(io.etcd.jetcd.lease.LeaseKeepAliveResponse value) { }

            @Override
            public void onError(Throwable t) { }

            @Override
            public void onCompleted() { }
        });
        return true;
    }

    /** Gives the lock back; revoking the lease deletes the key. */
    public void release() throws Exception {
        AutoCloseable k = keepAlive;
        keepAlive = null;
        if (k != null) {
            k.close();
        }
        long id = lease;
        lease = 0;
        if (id != 0) {
            await(client.get().getLeaseClient().revoke(id));
        }
    }

    private <T> T await(CompletableFuture<T> f) throws Exception {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            f.cancel(true);
            throw new java.io.IOException("etcd did not answer within " + timeout.toMillis() + " ms", e);
        }
    }
}
