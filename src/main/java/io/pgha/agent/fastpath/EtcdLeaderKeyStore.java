package io.pgha.agent.fastpath;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.pgha.agent.fastpath.CrashEvidence.LeaderKey;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** jetcd implementation; every call is cut by a timeout because jetcd retries internally. */
public final class EtcdLeaderKeyStore implements LeaderKeyStore {
    private final Supplier<Client> client;
    private final ByteSequence key;
    private final Duration timeout;

    public EtcdLeaderKeyStore(Supplier<Client> client, String leaderKey, Duration timeout) {
        this.client = client;
        this.key = ByteSequence.from(leaderKey, StandardCharsets.UTF_8);
        this.timeout = timeout;
    }

    @Override
    public Optional<LeaderKey> read() throws LeaderKeyException {
        // serializable(false) is jetcd's default; spelled out because the safety argument needs it.
        GetResponse r = await(client.get().getKVClient().get(key, GetOption.builder().withSerializable(false).build()), "read");
        return r.getKvs().stream().findFirst().map(EtcdLeaderKeyStore::toKey);
    }

    @Override
    public boolean deleteIfUnchanged(LeaderKey expected) throws LeaderKeyException {
        ByteSequence holder = ByteSequence.from(expected.holder(), StandardCharsets.UTF_8);
        TxnResponse r = await(client.get().getKVClient().txn()
                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.value(holder)),
                        new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(expected.modRevision())))
                .Then(Op.delete(key, DeleteOption.DEFAULT))
                .commit(), "transaction");
        return r.isSucceeded();
    }

    private static LeaderKey toKey(KeyValue kv) {
        return new LeaderKey(kv.getValue().toString(StandardCharsets.UTF_8), kv.getModRevision());
    }

    private <T> T await(java.util.concurrent.CompletableFuture<T> f, String what) throws LeaderKeyException {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new LeaderKeyException("etcd " + what + " timed out after " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw new LeaderKeyException("etcd " + what + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LeaderKeyException("interrupted during etcd " + what, e);
        }
    }
}
