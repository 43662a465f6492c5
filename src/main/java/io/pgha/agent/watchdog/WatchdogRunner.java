package io.pgha.agent.watchdog;

import io.pgha.agent.health.VerdictStore;
import io.pgha.agent.job.Loop;
import io.pgha.agent.job.Runner;
import io.pgha.agent.node.NodeSnapshot;
import io.pgha.agent.node.PostgresStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Gathers the watchdog's facts once per interval (the health loop's last snapshot, one lease read while this node
 * holds the key and may write), asks {@link WatchdogPolicy}, and stops PostgreSQL when told to. Decides nothing.
 */
final class WatchdogRunner implements Runner {

    private static final Logger LOG = Logger.getLogger(WatchdogRunner.class);

    /** The last decision and what was done, for {@code GET /watchdog}. */
    record State(WatchdogDecision decision, long fences, Instant lastFenceAt, String lastFence) {
    }

    interface Events {
        void checked(WatchdogDecision d);

        void fenced(WatchdogDecision d, Stopper.Stopped how);
    }

    private final String node;
    private final WatchdogPolicy policy;
    private final VerdictStore verdicts;
    private final LeaseReader leases;
    private final Stopper stopper;
    private final BooleanSupplier postmasterAlive;
    private final Events events;
    private final Clock clock;
    private final LongSupplier nanos;
    private final AtomicReference<State> state = new AtomicReference<>(
            new State(WatchdogDecision.keep("starting", "no check has run yet"), 0, null, null));
    // A bug in a check must not end the schedule: the next check starts from the next snapshot.
    private final Loop loop = new Loop("pgha-watchdog", this::check, e -> LOG.errorf(e, "watchdog check failed"));
    // Only the runner's thread touches these.
    private WatchdogFacts.LeaseSeen lastSeen;
    private long seenAtNanos;
    private boolean paused;
    private String lastReason = "";

    WatchdogRunner(String node, WatchdogPolicy policy, VerdictStore verdicts, LeaseReader leases,
            Stopper stopper, BooleanSupplier postmasterAlive, Events events, Clock clock, LongSupplier nanos) {
        this.node = node;
        this.policy = policy;
        this.verdicts = verdicts;
        this.leases = leases;
        this.stopper = stopper;
        this.postmasterAlive = postmasterAlive;
        this.events = events;
        this.clock = clock;
        this.nanos = nanos;
    }

    void start(Duration interval) {
        loop.start(interval, interval);
    }

    State state() {
        return state.get();
    }

    /** One check; package-private so tests drive it without a thread. */
    void check() {
        Optional<VerdictStore.Decision> last = verdicts.last();
        if (last.isEmpty()) {
            record(WatchdogDecision.keep("no-snapshot", "no health snapshot yet"));
            return;
        }
        NodeSnapshot s = last.get().snapshot();
        Boolean writable = writable(s.postgres());
        if (s.patroni().reachable()) {
            paused = s.patroni().paused();
        }
        if (Boolean.FALSE.equals(writable)) {
            lastSeen = null;
        }
        Optional<String> holder = s.etcd().leader();
        long lease = s.etcd().lease();
        String failed = null;
        boolean mine = holder.map(node::equals).orElse(false);
        if (!Boolean.FALSE.equals(writable) && !paused && mine && lease == 0) {
            // The key names this node but its lease is not known: the last reading only ages, never renews.
            failed = "the leader key's lease is not known to this agent";
        } else if (!Boolean.FALSE.equals(writable) && !paused && mine) {
            try {
                lastSeen = leases.read(lease);
                seenAtNanos = nanos.getAsLong();
            } catch (Exception e) {
                failed = e.getCause() != null ? e.getCause().toString() : e.toString();
            }
        }
        Duration since = lastSeen == null ? Duration.ZERO : Duration.ofNanos(nanos.getAsLong() - seenAtNanos);
        WatchdogDecision d = policy.decide(new WatchdogFacts(node, writable, paused, holder, lastSeen, since, failed));
        record(d);
        if (d.fence()) {
            Stopper.Stopped how = stopper.stop();
            LOG.errorf("watchdog: %s: %s", how.done() ? "stopped PostgreSQL" : "could not stop PostgreSQL", how.how());
            events.fenced(d, how);
            State before = state.get();
            state.set(new State(d, before.fences() + (how.done() ? 1 : 0), clock.instant(), d.reason() + "; " + how.how()));
            if (how.done()) {
                lastSeen = null;
            }
        }
    }

    /** TRUE read-write, FALSE in recovery or not running, null when it did not answer but a postmaster runs. */
    private Boolean writable(PostgresStatus pg) {
        if (pg.reachable() && pg.inRecovery() != null) {
            return !pg.inRecovery();
        }
        return postmasterAlive.getAsBoolean() ? null : Boolean.FALSE;
    }

    private void record(WatchdogDecision d) {
        if (!d.reason().equals(lastReason)) {
            // The sentence changes with every second of a draining lease only in the last few; a renewing leader
            // repeats itself, so this logs changes of the decision, not each check.
            if (d.fence()) {
                LOG.error("watchdog: " + d.reason());
            } else if (!d.cause().equals(state.get().decision().cause())) {
                LOG.info("watchdog: " + d.reason());
            }
            lastReason = d.reason();
        }
        events.checked(d);
        State before = state.get();
        state.set(new State(d, before.fences(), before.lastFenceAt(), before.lastFence()));
    }

    @Override
    public void close() {
        loop.close();
    }
}
