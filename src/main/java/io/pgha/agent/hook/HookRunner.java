package io.pgha.agent.hook;

import io.pgha.agent.gossip.ClusterView;
import io.pgha.agent.gossip.HookStatus;
import io.pgha.agent.metrics.AgentMetrics;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One round: read HAProxy's server states, let {@link HookPolicy} decide, send its commands in one exchange,
 * log each with its reason. Rounds run every pgha.hook.reconcile-interval and at once on every view change,
 * one at a time on one thread (a change during a round triggers one more round, never a parallel one).
 * A round costs at most two socket exchanges of pgha.hook.socket-timeout (500 ms) each: 1 s, below the
 * confirm timeout (3 s) after which the policy hands routing back.
 *
 * <p>Each round also replaces {@link #hookView()}, an immutable {@link HookStatus} built by
 * {@link HookViewPolicy}: HAProxy's servers as read, or the read's failure, and the commands pushed with their
 * reasons. GET /hook serves it and a {@link io.pgha.agent.gossip.LeasePublisher} writes it to etcd for every agent's page.
 */
public final class HookRunner implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HookRunner.class);

    private final Supplier<ClusterView> view;
    private final RuntimeApiClient haproxy;
    private final HookPolicy policy;
    private final AgentMetrics metrics;
    private final Clock clock;
    private final List<Consumer<ClusterView>> afterChange;
    private final HookViewPolicy viewPolicy;
    private final AtomicReference<HookStatus> hookView;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pgha-hook");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean pending = new AtomicBoolean();
    // Only the hook thread touches these.
    private String lastReason = "";
    private boolean socketFailing;
    private ClusterView lastFacts;

    /**
     * A consumer of the view whose decision depends on time as well as on the view (the renderer drops a departed
     * member once it has been gone long enough): it is called every round, the others only when the facts changed.
     */
    public interface EveryRound extends Consumer<ClusterView> {
    }

    public HookRunner(Supplier<ClusterView> view, RuntimeApiClient haproxy, HookPolicy policy, AgentMetrics metrics,
            Clock clock, List<Consumer<ClusterView>> afterChange, HookViewPolicy viewPolicy) {
        this.view = view;
        this.haproxy = haproxy;
        this.policy = policy;
        this.metrics = metrics;
        this.clock = clock;
        this.afterChange = List.copyOf(afterChange);
        this.viewPolicy = viewPolicy;
        this.hookView = new AtomicReference<>(viewPolicy.starting());
    }

    /** HAProxy as this hook last saw it and what it last pushed; replaced whole after every round. */
    public HookStatus hookView() {
        return hookView.get();
    }

    public void start(Duration interval) {
        thread.scheduleWithFixedDelay(this::safeRound, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The watcher calls this on every change; coalesced so a burst of events costs one round. */
    public void changed(ClusterView ignored) {
        if (pending.compareAndSet(false, true)) {
            thread.execute(() -> {
                pending.set(false);
                safeRound();
            });
        }
    }

    private void safeRound() {
        try {
            round();
        } catch (RuntimeException e) {
            LOG.error("hook round failed; the next one retries", e);
        }
    }

    /** Public for tests: one full round, returning what was decided (null when HAProxy could not be read). */
    public HookDecision round() {
        ClusterView v = view.get();
        List<ServerState> servers;
        try {
            servers = ServerState.parse(haproxy.showServersState());
        } catch (IOException e) {
            hookView.set(viewPolicy.readFailed(hookView.get(), e.getMessage(), clock.instant()));
            metrics.hook("show-servers", "error");
            if (!socketFailing) {
                LOG.errorf("cannot read HAProxy's server states (%s); HAProxy's own checks route meanwhile", e.getMessage());
            }
            socketFailing = true;
            return null;
        }
        if (socketFailing) {
            LOG.info("HAProxy's admin socket answers again");
            socketFailing = false;
        }
        Instant now = clock.instant();
        HookStatus seen = viewPolicy.read(hookView.get(), servers, now);
        HookDecision d = policy.decide(v, servers, now);
        if (!d.reason().equals(lastReason)) {
            LOG.infof("hook: %s", d.reason());
            lastReason = d.reason();
        }
        String outcome = d.actions().isEmpty() ? null : send(d, v, now);
        // Set once per round, so GET /hook never shows this round's servers with the last round's decision.
        hookView.set(viewPolicy.decided(seen, d, outcome, now));
        boolean changed = !v.sameFacts(lastFacts);
        lastFacts = v;
        for (Consumer<ClusterView> c : afterChange) {
            if (changed || c instanceof EveryRound) {
                c.accept(v);
            }
        }
        return d;
    }

    /** Sends the decision's commands in one exchange; returns ok, refused or error. */
    private String send(HookDecision d, ClusterView v, Instant now) {
        String outcome;
        try {
            String answer = haproxy.execute(d.actions().stream().map(HookAction::command).toList()).strip();
            outcome = answer.isEmpty() ? "ok" : "refused";
            if (!answer.isEmpty()) {
                LOG.warnf("HAProxy answered: %s", answer.replace('\n', ' '));
            }
        } catch (IOException e) {
            outcome = "error";
            LOG.errorf("runtime API push failed (%s); retried next round", e.getMessage());
        }
        String since = v.leaderSince() == null ? ""
                : " (" + Duration.between(v.leaderSince(), now).toMillis() + " ms after the leader key changed)";
        for (HookAction a : d.actions()) {
            metrics.hook(a.kind(), outcome);
            LOG.infof("hook %s: %s: %s%s", outcome, a.command(), a.reason(), since);
        }
        return outcome;
    }

    @Override
    public void close() {
        thread.shutdownNow();
        haproxy.close();
    }
}
