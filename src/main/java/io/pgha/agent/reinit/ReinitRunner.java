package io.pgha.agent.reinit;

import io.pgha.agent.health.VerdictStore;
import io.pgha.agent.job.Loop;
import io.pgha.agent.job.Runner;
import io.pgha.agent.node.NodeSnapshot;
import io.pgha.agent.patroni.PatroniCluster;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Gathers the drift facts every loop, asks the pure tracker and policy, and carries out a reinit:
 * take the cluster lock, POST /reinitialize, follow until the node streams again or time runs out,
 * give the lock back. One thread; a reinit blocks only this thread.
 */
public final class ReinitRunner implements Runner {
    private static final Logger LOG = Logger.getLogger(ReinitRunner.class);
    private static final int KEEP = 20;

    public record Entry(Instant at, String reason) { }

    public record Attempt(Instant startedAt, DriftSignal signal, String reason, Instant endedAt, String outcome,
                          Long secondsToStreaming) { }

    public record State(boolean dryRun, boolean paused, boolean running, Map<DriftSignal, DriftTracker.Seen> drift,
                        List<Entry> decisions, List<Attempt> attempts) { }

    /** Metrics seam. */
    public interface Events {
        void attempt(String outcome);

        void running(boolean running);

        Events NONE = new Events() {
            @Override
            public void attempt(String outcome) { }

            @Override
            public void running(boolean running) { }
        };
    }

    private final String node;
    private final java.util.function.Function<String, Boolean> leaderAgentUp;
    private final ReinitPolicy policy;
    private final VerdictStore verdicts;
    private final PatroniCluster patroni;
    private final ReinitLock lock;
    private final Duration followTimeout;
    private final Events events;
    private final Clock clock;
    private final AtomicBoolean paused = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean();
    private final ArrayDeque<Entry> decisions = new ArrayDeque<>();
    private final List<Attempt> attempts = new ArrayList<>();
    private final AtomicReference<DriftTracker> tracker = new AtomicReference<>(DriftTracker.empty());
    private final Loop thread = new Loop("pgha-reinit", this::loop,
            e -> LOG.errorf(e, "reinit loop failed; next loop starts afresh"));
    private String lastReason = "";

    /**
     * @param leaderAgentUp for a member name: whether its agent says {@code up} for primary in the gossip
     *                      (null when unknown); read from the cluster view, no I/O
     */
    public ReinitRunner(String node, ReinitPolicy policy, VerdictStore verdicts, PatroniCluster patroni, ReinitLock lock,
                        Duration followTimeout, Events events, Clock clock,
                        java.util.function.Function<String, Boolean> leaderAgentUp) {
        this.leaderAgentUp = leaderAgentUp;
        this.node = node;
        this.policy = policy;
        this.verdicts = verdicts;
        this.patroni = patroni;
        this.lock = lock;
        this.followTimeout = followTimeout;
        this.events = events;
        this.clock = clock;
    }

    public void start(Duration interval) {
        thread.start(interval, interval);
    }

    public void pause() {
        paused.set(true);
        LOG.info("reinit: paused by an operator");
    }

    public void resume() {
        paused.set(false);
        LOG.info("reinit: resumed by an operator");
    }

    public synchronized State state() {
        return new State(policy.settings().dryRun(), paused.get(), running.get(), tracker.get().seen(),
                List.copyOf(decisions), List.copyOf(attempts));
    }

    void loop() {
        Optional<DriftFacts> facts = gather();
        if (facts.isEmpty()) {
            return;
        }
        DriftTracker t = tracker.updateAndGet(old -> old.observe(facts.get(), policy.settings().thresholds()));
        DriftFacts f = facts.get();
        if (!t.seen().isEmpty()) {
            f = withLockHolder(f);
        }
        List<Instant> starts;
        synchronized (this) {
            starts = attempts.stream().map(Attempt::startedAt).toList();
        }
        ReinitDecision d = policy.decide(f, t, starts, running.get(), paused.get(), clock.instant());
        note(d.reason(), d.act());
        if (d.act()) {
            run(d);
        }
    }

    private Optional<DriftFacts> gather() {
        Optional<VerdictStore.Decision> last = verdicts.last();
        if (last.isEmpty()) {
            return Optional.empty();
        }
        NodeSnapshot s = last.get().snapshot();
        List<DriftFacts.Member> members = new ArrayList<>();
        Long lag = null;
        try {
            for (PatroniCluster.Member m : patroni.members()) {
                members.add(new DriftFacts.Member(m.name(), m.role(), m.state(), m.timeline()));
                if (m.name().equals(node)) {
                    lag = m.lagBytes();
                }
            }
        } catch (java.io.IOException e) {
            // No cluster view: the policy then sees no healthy leader and holds.
            LOG.debugf("reinit: GET /cluster failed: %s", e.getMessage());
        }
        var p = s.patroni();
        var pg = s.postgres();
        Boolean leaderUp = members.stream().filter(DriftFacts.Member::leader).findFirst()
                .map(m -> leaderAgentUp.apply(m.name())).orElse(null);
        return Optional.of(new DriftFacts(s.takenAt(), node, p.reachable(), p.role(), p.state(), p.paused(), p.timeline(),
                pg.inRecovery(), pg.walReceiverStatus(), lag, members, Optional.empty(), leaderUp));
    }

    private DriftFacts withLockHolder(DriftFacts f) {
        Optional<String> holder;
        try {
            holder = lock.holder();
        } catch (Exception e) {
            holder = Optional.of("an unknown node (etcd could not be read: " + e.getMessage() + ")");
        }
        return new DriftFacts(f.at(), f.node(), f.patroniUp(), f.patroniRole(), f.patroniState(), f.patroniPaused(),
                f.timeline(), f.inRecovery(), f.walReceiver(), f.lagBytes(), f.members(), holder, f.leaderAgentUp());
    }

    private synchronized void note(String reason, boolean act) {
        if (reason.equals(lastReason)) {
            return;
        }
        lastReason = reason;
        if (act || reason.startsWith("dry run") || reason.contains(", but ")) {
            LOG.info("reinit: " + reason);
        } else {
            LOG.debug("reinit: " + reason);
        }
        decisions.addLast(new Entry(clock.instant(), reason));
        while (decisions.size() > KEEP) {
            decisions.removeFirst();
        }
    }

    private void run(ReinitDecision d) {
        Instant started = clock.instant();
        try {
            if (!lock.acquire(node)) {
                note("another node took the reinit lock first; waiting", false);
                return;
            }
        } catch (Exception e) {
            note("could not take the reinit lock: " + e.getMessage(), false);
            return;
        }
        running.set(true);
        events.running(true);
        String outcome;
        Long seconds = null;
        try {
            String answer = patroni.reinitialize();
            LOG.infof("reinit: Patroni said '%s'; following until %s streams again (at most %d s)", answer, node,
                    followTimeout.toSeconds());
            seconds = follow(started);
            outcome = seconds != null ? "streaming" : "timed_out";
        } catch (java.io.IOException e) {
            outcome = "failed";
            LOG.errorf("reinit of %s failed to start: %s", node, e.getMessage());
        } finally {
            try {
                lock.release();
            } catch (Exception e) {
                LOG.warnf("reinit: could not release the lock (its lease frees it): %s", e.getMessage());
            }
            running.set(false);
            events.running(false);
        }
        events.attempt(outcome);
        tracker.set(DriftTracker.empty());
        Attempt a = new Attempt(started, d.signal().orElse(null), d.reason(), clock.instant(), outcome, seconds);
        synchronized (this) {
            attempts.add(a);
        }
        if (seconds != null) {
            LOG.infof("reinit of %s done: streaming again %d s after the reinit started", node, seconds);
        } else {
            LOG.errorf("reinit of %s ended %s after %d s", node, outcome, Duration.between(started, clock.instant()).toSeconds());
        }
    }

    /**
     * Seconds from the start until this node streams again, or null on timeout. It must first be
     * seen leaving its old state (Patroni stops PostgreSQL and creates the replica), so a node that
     * was streaming but lagging is not taken as done before the reinit even began.
     */
    private Long follow(Instant started) {
        Instant deadline = started.plus(followTimeout);
        boolean left = false;
        while (clock.instant().isBefore(deadline)) {
            sleep(500);
            Optional<VerdictStore.Decision> last = verdicts.last();
            if (last.isEmpty() || !last.get().snapshot().takenAt().isAfter(started)) {
                continue;
            }
            NodeSnapshot s = last.get().snapshot();
            boolean streaming = s.patroni().running() && Boolean.TRUE.equals(s.postgres().inRecovery()) && s.postgres().streaming();
            if (!streaming) {
                left = true;
            } else if (left) {
                return Duration.between(started, clock.instant()).toSeconds();
            }
        }
        return null;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        thread.close();
    }
}
