package io.pgha.agent.fastpath;

import io.pgha.agent.fastpath.CrashEvidence.LeaderKey;
import io.pgha.agent.job.Loop;
import io.pgha.agent.job.Runner;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Runs the fast path's checks on its own thread, several times a second: gathers the evidence,
 * asks {@link LeaderGonePolicy}, and carries out a release. Decides nothing itself.
 */
public final class FastPathRunner implements Runner {
    private static final Logger LOG = Logger.getLogger(FastPathRunner.class);
    /** Enough history for any sane confirmation count; older checks only widen the window. */
    private static final int HISTORY = 16;
    /**
     * jetcd opens its gRPC channel lazily and lets it idle out; the first read after that took about
     * 2 s here, which is most of a fast path's budget. A cheap read this often keeps it open.
     */
    private static final Duration KEEP_WARM = Duration.ofSeconds(5);

    /** What the fast path last decided, with the evidence it decided on (for /status and tests). */
    public record State(Optional<CrashEvidence> evidence, LeaderGoneDecision decision, long releases) { }

    /** Narrow seam for metrics and gossip, so this class does not import Micrometer. */
    public interface Events {
        void checked(LeaderGoneDecision decision);

        void released(LeaderKey key, boolean succeeded, String reason);

        Events NONE = new Events() {
            @Override
            public void checked(LeaderGoneDecision decision) { }

            @Override
            public void released(LeaderKey key, boolean succeeded, String reason) { }
        };
    }

    private final LeaderGonePolicy policy;
    private final LocalEvidence local;
    private final LeaderKeyStore store;
    private final FastPathTargets targets;
    private final BooleanSupplier agentHealthy;
    private final Events events;
    private final Clock clock;
    private final ArrayDeque<CrashEvidence> history = new ArrayDeque<>();
    private final AtomicReference<State> state = new AtomicReference<>(
            new State(Optional.empty(), LeaderGoneDecision.keep("no check has run yet"), 0));
    private final Loop loop = new Loop("pgha-fast-path", this::check, e -> {
        // The next check starts afresh.
        LOG.errorf(e, "fast path check failed; history cleared");
        history.clear();
    });
    private String lastReason = "";
    private java.time.Instant lastEtcdCall = java.time.Instant.MIN;

    public FastPathRunner(LeaderGonePolicy policy, LocalEvidence local, LeaderKeyStore store, FastPathTargets targets,
                          BooleanSupplier agentHealthy, Events events, Clock clock) {
        this.policy = policy;
        this.local = local;
        this.store = store;
        this.targets = targets;
        this.agentHealthy = agentHealthy;
        this.events = events;
        this.clock = clock;
    }

    public void start(Duration interval) {
        loop.start(interval, interval);
    }

    public State state() {
        return state.get();
    }

    /** One check; package-private so tests can drive it without a thread. */
    void check() {
        CrashEvidence seen = gatherLocal();
        if (policy.worthReadingEtcd(seen)) {
            seen = withEtcd(seen);
        } else if (Duration.between(lastEtcdCall, clock.instant()).compareTo(KEEP_WARM) > 0) {
            keepWarm();
        }
        history.addLast(seen);
        while (history.size() > HISTORY) {
            history.removeFirst();
        }
        LeaderGoneDecision decision = policy.decide(List.copyOf(history), clock.instant());
        if (!decision.reason().equals(lastReason)) {
            // The same sentence at 4 Hz would drown the log; changes are what an operator reads.
            if (decision.releases()) {
                LOG.warn("fast path: " + decision.reason());
            } else {
                LOG.debug("fast path: " + decision.reason());
            }
            lastReason = decision.reason();
        }
        events.checked(decision);
        long releases = state.get().releases();
        if (decision.releases()) {
            releases += release(decision.release().orElseThrow(), decision.reason()) ? 1 : 0;
            history.clear();
        }
        state.set(new State(Optional.of(seen), decision, releases));
    }

    private boolean release(LeaderKey key, String reason) {
        try {
            boolean done = store.deleteIfUnchanged(key);
            if (done) {
                LOG.warnf("fast path: deleted leader key (held by %s at revision %d); the other members elect a new leader now",
                        key.holder(), key.modRevision());
            } else {
                LOG.infof("fast path: the leader key changed after revision %d before the delete; left untouched", key.modRevision());
            }
            events.released(key, done, reason);
            return done;
        } catch (LeaderKeyStore.LeaderKeyException e) {
            LOG.errorf("fast path: could not delete the leader key: %s", e.getMessage());
            events.released(key, false, e.getMessage());
            return false;
        }
    }

    private CrashEvidence gatherLocal() {
        Duration t = targets.connectTimeout();
        return new CrashEvidence(clock.instant(), Optional.empty(), false,
                local.probePort(targets.patroniHost(), targets.patroniPort(), t),
                local.patroniProcess(targets.patroniMatch()),
                local.probePort(targets.postgresHost(), targets.postgresPort(), t),
                local.postmaster(targets.dataDir()),
                agentHealthy.getAsBoolean());
    }

    private void keepWarm() {
        lastEtcdCall = clock.instant();
        try {
            store.read();
        } catch (LeaderKeyStore.LeaderKeyException e) {
            LOG.debugf("fast path: keep-warm read of etcd failed: %s", e.getMessage());
        }
    }

    private CrashEvidence withEtcd(CrashEvidence e) {
        lastEtcdCall = clock.instant();
        Optional<LeaderKey> key;
        boolean quorum;
        try {
            key = store.read();
            quorum = true;
        } catch (LeaderKeyStore.LeaderKeyException ex) {
            key = Optional.empty();
            quorum = false;
        }
        return new CrashEvidence(clock.instant(), key, quorum, e.patroniPort(), e.patroniProcess(),
                e.postgresPort(), e.postmaster(), e.agentHealthy());
    }

    @Override
    public void close() {
        loop.close();
    }
}
