package io.pgha.agent.gossip;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import io.pgha.agent.etcd.KeyLayout;
import io.pgha.agent.node.LeaderClaim;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The etcd calls behind {@link ClusterWatcher}: each read is one read-only transaction, which etcd serves as one
 * linearizable read at one revision, so the view never mixes Patroni's keys from one moment with the agents'
 * from another, and a confirmation costs one call however many prefixes it covers. Decides nothing.
 */
final class ViewReads {

    /**
     * What one confirming read saw: the leader key (null when absent), the mod revision of every agent and hook
     * key, and the revision the read was served at.
     */
    record Confirmation(LeaderClaim claim, Map<String, Long> revisions, long revision) {
        String leader() {
            return claim == null ? null : claim.holder();
        }
    }

    private final Supplier<Client> client;
    private final KeyLayout patroni;
    private final ViewParser parser;
    private final Duration callTimeout;
    /** The quorum reads' own bound (pgha.gossip.confirm-timeout): what the writer's fence is fed from. */
    private final Duration readTimeout;

    ViewReads(Supplier<Client> client, KeyLayout patroni, ViewParser parser, Duration callTimeout, Duration readTimeout) {
        this.client = client;
        this.patroni = patroni;
        this.parser = parser;
        this.callTimeout = callTimeout;
        this.readTimeout = readTimeout;
    }

    /** Patroni's, the agents' and the hooks' prefixes, values included, in this order, at one revision. */
    List<GetResponse> readAll() throws Exception {
        return readTogether(Op.get(bytes(patroni.prefix()), GetOption.builder().isPrefix(true).build()), false);
    }

    /** The leader key's value and the agents' and hooks' keys without values. */
    Confirmation confirm() throws Exception {
        List<GetResponse> reads = readTogether(Op.get(bytes(patroni.leader()), GetOption.DEFAULT), true);
        LeaderClaim leader = claimIn(reads.get(0));
        Map<String, Long> revisions = new HashMap<>();
        reads.subList(1, reads.size()).forEach(r -> r.getKvs().forEach(
                kv -> revisions.put(kv.getKey().toString(StandardCharsets.UTF_8), kv.getModRevision())));
        return new Confirmation(leader, revisions, reads.get(0).getHeader().getRevision());
    }

    /** The leader key in a read of it or of Patroni's whole prefix; null when the key is absent. */
    LeaderClaim claimIn(GetResponse read) {
        return read.getKvs().stream()
                .filter(kv -> kv.getKey().toString(StandardCharsets.UTF_8).equals(patroni.leader()))
                .map(ViewReads::claim).findFirst().orElse(null);
    }

    static LeaderClaim claim(KeyValue kv) {
        return LeaderClaim.of(ViewParser.leaderValue(kv.getValue().getBytes()), kv.getCreateRevision(),
                kv.getModRevision(), kv.getVersion(), kv.getLease());
    }

    /**
     * The leader key's value as it was at {@code revision} (its create revision: who acquired it); empty when the
     * key did not exist then. Throws when etcd has compacted that revision away.
     */
    Optional<String> leaderAt(long revision) throws Exception {
        GetResponse r = client.get().getKVClient().get(bytes(patroni.leader()), GetOption.builder().withRevision(revision)
                .build()).get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
        return r.getKvs().stream().map(kv -> ViewParser.leaderValue(kv.getValue().getBytes())).findFirst();
    }

    /** Every prefix the view is built from, each watched from {@code fromRevision} with a leader required. */
    List<String> prefixes() {
        List<String> p = new ArrayList<>(List.of(patroni.prefix(), parser.agentsPrefix()));
        parser.hooksPrefix().ifPresent(p::add);
        return p;
    }

    Watch.Watcher watch(String prefix, long fromRevision, Consumer<WatchResponse> onEvents,
            Consumer<Throwable> onError, Runnable onCompleted) {
        WatchOption opt = WatchOption.builder().isPrefix(true).withRevision(fromRevision)
                .withRequireLeader(true).build();
        return client.get().getWatchClient().watch(bytes(prefix), opt, Watch.listener(onEvents, onError, onCompleted));
    }

    /** {@code first}, then the agents' prefix and the hooks' prefix (when hooks are watched). */
    private List<GetResponse> readTogether(Op first, boolean keysOnly) throws Exception {
        GetOption prefix = GetOption.builder().isPrefix(true).withKeysOnly(keysOnly).build();
        List<Op> ops = new ArrayList<>(List.of(first, Op.get(bytes(parser.agentsPrefix()), prefix)));
        parser.hooksPrefix().ifPresent(h -> ops.add(Op.get(bytes(h), prefix)));
        TxnResponse r = client.get().getKVClient().txn().Then(ops.toArray(Op[]::new)).commit()
                .get(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
        List<GetResponse> reads = r.getGetResponses();
        if (reads.size() != ops.size()) {
            throw new IllegalStateException("etcd answered " + reads.size() + " of " + ops.size() + " reads");
        }
        return reads;
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
