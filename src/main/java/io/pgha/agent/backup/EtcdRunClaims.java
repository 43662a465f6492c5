package io.pgha.agent.backup;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.util.function.Supplier;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link RunClaims} on jetcd 0.8.5: one transaction "if neither the run key nor the lock exists, put both bound
 * to my lease", so the claim is atomic and idempotent. A completed run re-binds its run key to a day-long lease
 * (a late candidate still sees it was done; etcd forgets it after a day); the lock goes with the run's lease.
 * Every call is cut at {@code callTimeout} because jetcd retries internally.
 */
public final class EtcdRunClaims implements RunClaims, AutoCloseable {

    /** Long enough that no candidate of the same run is still waiting to claim it. */
    private static final long DONE_TTL_SECONDS = 24 * 3600;

    private final Supplier<Client> client;
    private final BackupKeys keys;
    private final Duration leaseTtl;
    private final Duration callTimeout;

    /** @param callTimeout below the lease TTL, so a hung call cannot outlive the lease it is renewing */
    public EtcdRunClaims(Supplier<Client> client, BackupKeys keys, Duration leaseTtl, Duration callTimeout) {
        this.client = client;
        this.keys = keys;
        this.leaseTtl = leaseTtl;
        this.callTimeout = callTimeout;
    }

    @Override
    public Claim claimRun(String runKey, String node) throws ClaimException {
        return claim(keys.run(runKey), node);
    }

    @Override
    public Claim lock(String node) throws ClaimException {
        return claim(null, node);
    }

    private Claim claim(String runKey, String node) throws ClaimException {
        Client c = client();
        long lease = await(c.getLeaseClient().grant(Math.max(2, leaseTtl.toSeconds())), "lease grant").getID();
        ByteSequence lock = bytes(keys.lock());
        ByteSequence value = bytes(node + (runKey == null ? " manual" : " " + runKey));
        PutOption withLease = PutOption.builder().withLeaseId(lease).build();
        List<Cmp> ifs = new ArrayList<>(List.of(new Cmp(lock, Cmp.Op.EQUAL, CmpTarget.version(0))));
        List<Op> thens = new ArrayList<>(List.of(Op.put(lock, value, withLease)));
        List<Op> elses = new ArrayList<>(List.of(Op.get(lock, GetOption.DEFAULT)));
        if (runKey != null) {
            ifs.add(new Cmp(bytes(runKey), Cmp.Op.EQUAL, CmpTarget.version(0)));
            thens.add(Op.put(bytes(runKey), bytes(node), withLease));
            elses.add(Op.get(bytes(runKey), GetOption.DEFAULT));
        }
        TxnResponse r;
        try {
            r = await(c.getKVClient().txn().If(ifs.toArray(Cmp[]::new)).Then(thens.toArray(Op[]::new))
                    .Else(elses.toArray(Op[]::new)).commit(), "claim transaction");
        } catch (ClaimException e) {
            revoke(c, lease);
            throw e;
        }
        if (!r.isSucceeded()) {
            revoke(c, lease);
            List<String> held = new ArrayList<>();
            r.getGetResponses().forEach(g -> g.getKvs().forEach(kv -> held.add(describe(kv))));
            return lostClaim("already claimed: " + String.join(", ", held));
        }
        return new Held(c, lease, runKey, node);
    }

    private static String describe(KeyValue kv) {
        return kv.getKey().toString(StandardCharsets.UTF_8) + " = " + kv.getValue().toString(StandardCharsets.UTF_8);
    }

    private static Claim lostClaim(String why) {
        return new Claim() {
            public boolean won() {
                return false;
            }

            public String reason() {
                return why;
            }

            public boolean lost() {
                return true;
            }

            public void done(boolean keep) {
            }
        };
    }

    private final class Held implements Claim, StreamObserver<LeaseKeepAliveResponse> {
        private final Client c;
        private final long lease;
        private final String runKey;
        private final String node;
        private final AtomicBoolean lost = new AtomicBoolean();
        private final AtomicBoolean finished = new AtomicBoolean();
        private final CloseableClient keepAlive;

        Held(Client c, long lease, String runKey, String node) {
            this.c = c;
            this.lease = lease;
            this.runKey = runKey;
            this.node = node;
            this.keepAlive = c.getLeaseClient().keepAlive(lease, this);
        }

        public boolean won() {
            return true;
        }

        public String reason() {
            return "claimed by " + node + (runKey == null ? " (manual run)" : " for " + runKey);
        }

        public boolean lost() {
            return lost.get();
        }

        public void done(boolean keepRunKey) {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            keepAlive.close();
            if (keepRunKey && runKey != null && !lost.get()) {
                try {
                    long dayLease = await(c.getLeaseClient().grant(DONE_TTL_SECONDS), "lease grant").getID();
                    await(c.getKVClient().put(bytes(runKey), bytes(node + " done"),
                            PutOption.builder().withLeaseId(dayLease).build()), "run key update");
                } catch (ClaimException e) {
                    // The lease's expiry frees the run key; a late candidate may then repeat the run: harmless.
                }
            }
            revoke(c, lease);
        }

        @Override
        public void onNext(LeaseKeepAliveResponse r) {
            if (r.getTTL() <= 0) {
                lost.set(true);
            }
        }

        @Override
        public void onError(Throwable t) {
            lost.set(true);
        }

        @Override
        public void onCompleted() {
            if (!finished.get()) {
                lost.set(true);
            }
        }
    }

    private void revoke(Client c, long lease) {
        try {
            await(c.getLeaseClient().revoke(lease), "lease revoke");
        } catch (ClaimException e) {
            // Unrevoked, the lease still expires after its TTL.
        }
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private <T> T await(CompletableFuture<T> f, String what) throws ClaimException {
        try {
            return f.get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new ClaimException("etcd " + what + " timed out after " + callTimeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw new ClaimException("etcd " + what + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClaimException("interrupted during etcd " + what, e);
        }
    }

    private Client client() {
        return client.get();
    }

    /** The client belongs to the agent (EtcdClientHolder), which closes it. */
    @Override
    public void close() {
    }
}
