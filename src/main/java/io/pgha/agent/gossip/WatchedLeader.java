package io.pgha.agent.gossip;

import io.pgha.agent.etcd.LeaderReader;
import io.pgha.agent.node.EtcdStatus;
import io.pgha.agent.node.Outcome;
import io.pgha.agent.node.ProbeResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The health loop's view of the leader key, taken from the {@link ClusterWatcher} instead of a read of its own:
 * the watcher already reads the key with a quorum read every confirm-interval and hears every change at once
 * through its watch, so a second read per cycle would only double the calls on etcd (and the agent's background
 * work on a small VM). No I/O here: the answer is ready at once.
 *
 * <p>It fails closed like the read it replaces: before the first read it reports etcd unread, after a failed
 * read it reports the failure, and a read older than {@code freshFor} (the watcher stuck or its confirmations
 * stopped) counts as failed, so the policy's pgha.etcd.max-unreadable grace starts from the last real read.
 */
public final class WatchedLeader implements LeaderReader {

    private final Supplier<LeaderRead> source;
    private final String leaderKey;
    private final Duration freshFor;
    private final Clock clock;

    public WatchedLeader(Supplier<LeaderRead> source, String leaderKey, Duration freshFor, Clock clock) {
        this.source = source;
        this.leaderKey = leaderKey;
        this.freshFor = freshFor;
        this.clock = clock;
    }

    @Override
    public CompletionStage<EtcdStatus> read() {
        return CompletableFuture.completedFuture(status(source.get(), clock.instant()));
    }

    EtcdStatus status(LeaderRead r, Instant now) {
        if (r.readAt() == null) {
            ProbeResult probe = r.lastAttempt() != null ? r.lastAttempt()
                    : ProbeResult.failed(Outcome.ERROR, "the cluster watcher has not read etcd yet", Duration.ZERO);
            return new EtcdStatus(probe, leaderKey, r.leader(), null, r.judgement(), lease(r));
        }
        ProbeResult probe = r.lastAttempt();
        Duration age = Duration.between(r.readAt(), now);
        if (probe.succeeded() && age.compareTo(freshFor) > 0) {
            probe = ProbeResult.failed(Outcome.TIMEOUT, "the cluster watcher last read etcd " + age.toMillis()
                    + " ms ago", age);
        }
        return new EtcdStatus(probe, leaderKey, r.leader(), r.readAt(), r.judgement(), lease(r));
    }

    private static long lease(LeaderRead r) {
        return r.claim() == null ? 0 : r.claim().lease();
    }
}
