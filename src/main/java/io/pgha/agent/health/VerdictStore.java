package io.pgha.agent.health;

import io.pgha.agent.node.NodeSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The last decision, read by every hot path. Readers never wait for a probe; they get the cached verdicts, or
 * {@code down} for every role when there are none yet or the snapshot behind them is older than three
 * intervals (the loop died or hung: fail closed rather than keep answering from old facts).
 */
public final class VerdictStore {

    /** Published as one object so a reader never pairs one cycle's snapshot with another's verdicts. */
    public record Decision(NodeSnapshot snapshot, Verdicts verdicts, Instant decidedAt) {
    }

    private final HealthPolicy policy;
    private final Clock clock;
    private final Instant createdAt;
    private final AtomicReference<Decision> last = new AtomicReference<>();

    public VerdictStore(HealthPolicy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
        this.createdAt = clock.instant();
    }

    public void publish(NodeSnapshot snapshot, Verdicts verdicts) {
        last.set(new Decision(snapshot, verdicts, clock.instant()));
    }

    public Verdicts current() {
        Decision d = last.get();
        Instant now = clock.instant();
        if (d == null) {
            return policy.noSnapshot(now);
        }
        Duration age = Duration.between(d.snapshot().takenAt(), now);
        if (age.compareTo(policy.settings().staleAfter()) > 0) {
            return policy.stale(age, d.snapshot().takenAt());
        }
        return d.verdicts();
    }

    public Optional<Decision> last() {
        return Optional.ofNullable(last.get());
    }

    /** Age of the snapshot behind the current verdicts; since start when there is none yet. */
    public Duration snapshotAge() {
        Decision d = last.get();
        return Duration.between(d == null ? createdAt : d.snapshot().takenAt(), clock.instant());
    }

    /** Time since the loop last finished a cycle; since start when it never did. */
    public Duration sinceLastCycle() {
        Decision d = last.get();
        return Duration.between(d == null ? createdAt : d.decidedAt(), clock.instant());
    }

    public boolean fresh() {
        Decision d = last.get();
        return d != null && snapshotAge().compareTo(policy.settings().staleAfter()) <= 0;
    }
}
