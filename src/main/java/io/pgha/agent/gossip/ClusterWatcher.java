package io.pgha.agent.gossip;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.pgha.agent.etcd.EtcdOutcomes;
import io.pgha.agent.etcd.KeyLayout;
import io.pgha.agent.gossip.ViewParser.KeyChange;
import io.pgha.agent.metrics.AgentMetrics;
import io.pgha.agent.node.Outcome;
import io.pgha.agent.node.ProbeResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Keeps the {@link ClusterView}: reads Patroni's, the agents' and the hooks' prefixes in one transaction, then
 * watches each from that revision + 1 with {@code withRequireLeader(true)} (a member cut off from the quorum
 * cancels the watch instead of going silent). Watches can still stop delivering (jetcd#1209, #1046, #524), so
 * every confirm-interval one quorum read of the leader key and of the other keys' revisions checks the view;
 * on any watch error, failed confirmation followed by success, or disagreement, it re-reads and re-watches.
 * All view changes happen on one thread, so no lock is needed; jetcd's callbacks only hand work to it.
 *
 * <p>The same reads and watch give the health loop Patroni's leader key ({@link #leaderRead()}), so fencing a
 * stale writer costs etcd no read of its own and a new leader reaches the verdicts as the watch delivers it.
 */
public final class ClusterWatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClusterWatcher.class);

    private final ViewReads reads;
    private final ConfirmPolicy confirmPolicy = new ConfirmPolicy();
    private final ClaimTracker claims;
    private final KeyLayout patroni;
    private final ViewParser parser;
    private final AgentMetrics metrics;
    private final Clock clock;
    private final Duration confirmInterval;
    private final AtomicReference<ClusterView> view;
    private volatile LeaderRead leaderRead = LeaderRead.NONE;
    private final List<Consumer<ClusterView>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<KeyChange>> rawListeners = new CopyOnWriteArrayList<>();
    private final Set<String> loggedSkips = new HashSet<>();
    /** Mod revision of every agent and hook key seen, valid or not: what the confirmation compares with etcd. */
    private final Map<String, Long> seenRevisions = new HashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pgha-gossip-watch");
        t.setDaemon(true);
        return t;
    });
    private final List<Watch.Watcher> watches = new CopyOnWriteArrayList<>();
    // Only touched on the watcher thread.
    private long generation;
    private boolean needResync = true;
    private boolean lastConfirmFailed;
    private int mismatches;

    public ClusterWatcher(Supplier<Client> client, KeyLayout patroni, ViewParser parser, AgentMetrics metrics,
            Clock clock, Duration callTimeout, Duration readTimeout, Duration confirmInterval) {
        this.reads = new ViewReads(client, patroni, parser, callTimeout, readTimeout);
        this.claims = new ClaimTracker(reads::leaderAt, metrics);
        this.patroni = patroni;
        this.parser = parser;
        this.metrics = metrics;
        this.clock = clock;
        this.confirmInterval = confirmInterval;
        this.view = new AtomicReference<>(ClusterView.empty(patroni.scope()));
    }

    public void start() {
        thread.scheduleWithFixedDelay(this::confirmOrResync, 0, confirmInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public ClusterView view() {
        return view.get();
    }

    /** The leader key as last read or watched, for the health loop (see {@link WatchedLeader}). */
    public LeaderRead leaderRead() {
        return leaderRead;
    }

    /** Called on the watcher thread after every change of the facts (not of bookkeeping). */
    public void onChange(Consumer<ClusterView> listener) {
        listeners.add(listener);
    }

    /** Called on the watcher thread with every key change seen, before it is parsed (the publisher's tamper check). */
    public void onKey(Consumer<KeyChange> listener) {
        rawListeners.add(listener);
    }

    private void confirmOrResync() {
        Instant start = clock.instant();
        try {
            if (needResync) {
                resync();
            } else {
                confirm();
            }
        } catch (Exception e) {
            Outcome outcome = EtcdOutcomes.of(e);
            leaderRead = leaderRead.failed(ProbeResult.failed(outcome, e.toString(),
                    Duration.between(start, clock.instant())));
            metrics.gossip(needResync ? "resync" : "confirm", outcome == Outcome.TIMEOUT ? "timeout" : "error");
            if (!lastConfirmFailed) {
                LOG.warnf("etcd view not confirmed (%s); the view is kept and re-read when etcd answers", e);
            }
            lastConfirmFailed = true;
            needResync = true;
        }
    }

    /**
     * One read-only transaction (a quorum read; every answer from one revision) of the leader key and of the
     * agents' and hooks' keys without values; a view that disagrees was missed by the watch: re-read.
     */
    private void confirm() throws Exception {
        Instant start = clock.instant();
        ViewReads.Confirmation c = reads.confirm();
        // A quorum read of the key, whatever the comparison below concludes about the rest of the view. Dated when
        // it was sent: etcd answered for a moment after that, so the fence's grace never runs from later than truth.
        Instant now = clock.instant();
        leaderRead = leaderRead.read(c.claim(), c.revision(), start, ProbeResult.ok(Duration.between(start, now)));
        ConfirmPolicy.Decision d = confirmPolicy.decide(view.get().leader(), c.leader(), seenRevisions,
                c.revisions(), mismatches);
        mismatches = d.mismatches();
        switch (d.action()) {
            case LOOK_AGAIN -> {
                return;
            }
            case RESYNC -> {
                LOG.warnf("%s", d.reason());
                metrics.gossip("confirm", "disagree");
                needResync = true;
                resync();
                return;
            }
            case CONFIRMED -> { }
        }
        if (lastConfirmFailed) {
            LOG.info("etcd answers again; confirmed the view");
            lastConfirmFailed = false;
        }
        publish(view.get(), view.get().confirmed(clock.instant()));
        metrics.gossip("confirm", "ok");
    }

    /**
     * Read the prefixes (Patroni's, the agents', the hooks') in one transaction, rebuild the view from that one
     * revision, and watch each prefix from the revision + 1.
     */
    private void resync() throws Exception {
        cancelWatches();
        long gen = ++generation;
        Instant start = clock.instant();
        List<GetResponse> all = reads.readAll();
        long revision = all.get(0).getHeader().getRevision();
        Instant readAt = clock.instant();
        leaderRead = leaderRead.read(reads.claimIn(all.get(0)), revision, start,
                ProbeResult.ok(Duration.between(start, readAt)));
        ClusterView before = view.get();
        // Start from the old view so a skipped key keeps its last good value, but drop keys that are gone.
        ClusterView next = new ClusterView(before.scope(), before.leader(), before.leaderSince(), Map.of(),
                Map.of(), 0, before.skipped(), null);
        boolean leaderSeen = false;
        seenRevisions.clear();
        for (GetResponse r : all) {
            for (KeyValue kv : r.getKvs()) {
                String key = kv.getKey().toString(StandardCharsets.UTF_8);
                leaderSeen |= key.equals(patroni.leader());
                next = applyOne(next, new KeyChange(key, kv.getValue().getBytes(), kv.getModRevision()), before);
            }
        }
        if (!leaderSeen && next.leader() != null) {
            next = parser.apply(next, KeyChange.delete(patroni.leader(), 0), clock.instant()).view();
        }
        if (before.revision() == 0 && next.leader() != null) {
            // Learned at start, not seen changing: when it took the key is unknown, so no promotion grace
            // (a hook restarted beside a dead leader must not push it up against HAProxy's checks).
            next = next.withLeader(next.leader(), null);
        }
        next = next.withRevision(revision).confirmed(clock.instant());
        publish(before, next);
        for (String prefix : reads.prefixes()) {
            watch(prefix, revision + 1, gen);
        }
        needResync = false;
        lastConfirmFailed = false;
        mismatches = 0;
        metrics.gossip("resync", "ok");
        LOG.infof("read the cluster view at revision %d: leader %s, %d members, %d agents, %d hooks; watching",
                next.revision(), next.leader(), next.members().size(), next.agents().size(), next.hooks().size());
    }

    private ClusterView applyOne(ClusterView v, KeyChange c, ClusterView previous) {
        if (c.key().startsWith(parser.agentsPrefix())
                || parser.hooksPrefix().map(h -> c.key().startsWith(h)).orElse(false)) {
            if (c.value() == null) {
                seenRevisions.remove(c.key());
            } else {
                seenRevisions.put(c.key(), c.modRevision());
            }
        }
        for (Consumer<KeyChange> l : rawListeners) {
            l.accept(c);
        }
        ViewParser.Update u = parser.apply(v, c, clock.instant());
        if (u.skipped().isEmpty()) {
            return u.view();
        }
        metrics.gossip("skipped", "garbage");
        if (loggedSkips.add(c.key())) {
            LOG.warnf("skipped a value in etcd (logged once per key): %s", u.skipped().get());
        }
        // Keep the last good value of this key from the previous view, if any.
        ClusterView kept = u.view();
        String node = c.key().startsWith(parser.agentsPrefix()) ? c.key().substring(parser.agentsPrefix().length()) : null;
        if (node != null && previous.agents().containsKey(node) && !kept.agents().containsKey(node)) {
            Map<String, AgentStatus> m = new java.util.HashMap<>(kept.agents());
            m.put(node, previous.agents().get(node));
            kept = kept.withAgents(m);
        }
        return kept;
    }

    private void watch(String prefix, long fromRevision, long gen) {
        watches.add(reads.watch(prefix, fromRevision,
                response -> thread.execute(() -> onEvents(response, gen)),
                error -> thread.execute(() -> onWatchError(prefix, error, gen)),
                () -> thread.execute(() -> onWatchError(prefix, new IllegalStateException("watch completed"), gen))));
    }

    private void onEvents(WatchResponse response, long gen) {
        if (gen != generation) {
            return;
        }
        ClusterView before = view.get();
        ClusterView next = before;
        for (WatchEvent e : response.getEvents()) {
            KeyValue kv = e.getKeyValue();
            String key = kv.getKey().toString(StandardCharsets.UTF_8);
            KeyChange c = e.getEventType() == WatchEvent.EventType.DELETE
                    ? KeyChange.delete(key, kv.getModRevision())
                    : new KeyChange(key, kv.getValue().getBytes(), kv.getModRevision());
            if (key.equals(patroni.leader())) {
                leaderRead = leaderRead.watched(c.value() == null ? null : ViewReads.claim(kv), kv.getModRevision());
            }
            next = applyOne(next, c, before);
        }
        metrics.gossip("watch", "ok");
        publish(before, next);
    }

    private void onWatchError(String prefix, Throwable error, long gen) {
        if (gen != generation) {
            return;
        }
        metrics.gossip("watch", "error");
        LOG.warnf("watch on %s ended (%s); re-reading and re-watching from the last revision + 1", prefix, error);
        needResync = true;
        generation++;
        cancelWatches();
        thread.schedule(this::confirmOrResync, 200, TimeUnit.MILLISECONDS);
    }

    private void publish(ClusterView before, ClusterView judged) {
        ClusterView next = judgeClaim(judged);
        view.set(next);
        if (!next.sameFacts(before)) {
            for (Consumer<ClusterView> l : listeners) {
                try {
                    l.accept(next);
                } catch (RuntimeException e) {
                    LOG.error("a cluster view listener failed", e);
                }
            }
        }
    }

    /** Judges the leader key's claim (see {@link ClaimTracker}) and hands the judgement to the view and the health loop. */
    private ClusterView judgeClaim(ClusterView v) {
        ClaimTracker.Judged j = claims.judge(leaderRead.claim(), v.members());
        leaderRead = leaderRead.judged(j.claim(), j.judgement());
        return v.withLeaderClaim(j.judgement());
    }

    private void cancelWatches() {
        for (Watch.Watcher w : watches) {
            try {
                w.close();
            } catch (RuntimeException e) {
                // already closed
            }
        }
        watches.clear();
    }

    Optional<String> leader() {
        return Optional.ofNullable(view.get().leader());
    }

    @Override
    public void close() {
        thread.shutdownNow();
        cancelWatches();
    }
}
