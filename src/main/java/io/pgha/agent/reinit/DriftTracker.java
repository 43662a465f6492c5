package io.pgha.agent.reinit;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which drift signals are present, since when and over how many consecutive loops. Immutable: each
 * loop makes the next tracker from the last one and the new facts. Pure.
 */
public final class DriftTracker {

    /** Persistence required of each signal before it counts. */
    public record Thresholds(int loops, Duration notStreaming, Duration timelineBehind, Duration startFailed,
                             Duration lagHard, long lagHardBytes, Duration rewindFailed, Duration leftStopped) {
        Duration of(DriftSignal s) {
            return switch (s) {
                case NOT_STREAMING -> notStreaming;
                case TIMELINE_BEHIND -> timelineBehind;
                case START_FAILED -> startFailed;
                case LAG_HARD -> lagHard;
                case REWIND_FAILED -> rewindFailed;
                case LEFT_STOPPED -> leftStopped;
            };
        }
    }

    /** A signal seen in {@code loops} consecutive loops, the first at {@code since}. */
    public record Seen(Instant since, int loops) { }

    private final Map<DriftSignal, Seen> seen;
    private final Optional<Instant> leaderUpSince;

    private DriftTracker(Map<DriftSignal, Seen> seen, Optional<Instant> leaderUpSince) {
        this.seen = seen;
        this.leaderUpSince = leaderUpSince;
    }

    public static DriftTracker empty() {
        return new DriftTracker(new EnumMap<>(DriftSignal.class), Optional.empty());
    }

    /** Since when the leader's agent has said {@code up} for primary in every loop, if it does now. */
    public Optional<Instant> leaderUpSince() {
        return leaderUpSince;
    }

    public Map<DriftSignal, Seen> seen() {
        return Map.copyOf(seen);
    }

    /** The next tracker: signals present now extend their streak, absent ones are forgotten. */
    public DriftTracker observe(DriftFacts f, Thresholds t) {
        Map<DriftSignal, Seen> next = new EnumMap<>(DriftSignal.class);
        for (DriftSignal s : present(f, t)) {
            Seen before = seen.get(s);
            next.put(s, before == null ? new Seen(f.at(), 1) : new Seen(before.since(), before.loops() + 1));
        }
        Optional<Instant> up = Boolean.TRUE.equals(f.leaderAgentUp())
                ? Optional.of(leaderUpSince.orElse(f.at())) : Optional.empty();
        return new DriftTracker(next, up);
    }

    /** The signal that has persisted long enough (the longest-standing if several), if any. */
    public Optional<DriftSignal> confirmed(Instant now, Thresholds t) {
        return seen.entrySet().stream()
                .filter(e -> e.getValue().loops() >= t.loops()
                        && Duration.between(e.getValue().since(), now).compareTo(t.of(e.getKey())) >= 0)
                .min(Map.Entry.comparingByValue((a, b) -> a.since().compareTo(b.since())))
                .map(Map.Entry::getKey);
    }

    static java.util.EnumSet<DriftSignal> present(DriftFacts f, Thresholds t) {
        var out = java.util.EnumSet.noneOf(DriftSignal.class);
        if (!f.patroniUp() || f.actsAsLeader()) {
            // Without Patroni nothing can be re-initialised; a leader is never a drifted replica.
            return out;
        }
        String state = f.patroniState() == null ? "" : f.patroniState();
        boolean running = "running".equals(state) || "streaming".equals(state);
        if (state.contains("rewind")) {
            out.add(DriftSignal.REWIND_FAILED);
        } else if ("start failed".equals(state) || "crashed".equals(state)) {
            out.add(DriftSignal.START_FAILED);
        } else if ("stopped".equals(state) && !f.patroniPaused()) {
            // Patroni also says "stopped" while it runs crash recovery and pg_rewind on a former leader, which takes
            // as long as the data it copies: only a much longer stop means it gave up (a failed rewind).
            out.add(DriftSignal.LEFT_STOPPED);
        }
        var leader = f.leader();
        boolean leaderHealthy = leader.map(DriftFacts.Member::healthy).orElse(false);
        if (running && leaderHealthy && Boolean.TRUE.equals(f.inRecovery()) && !"streaming".equalsIgnoreCase(f.walReceiver())) {
            out.add(DriftSignal.NOT_STREAMING);
        }
        if (leaderHealthy && f.timeline() != null && leader.get().timeline() != null
                && f.timeline() < leader.get().timeline()) {
            out.add(DriftSignal.TIMELINE_BEHIND);
        }
        if (f.lagBytes() != null && f.lagBytes() > t.lagHardBytes()) {
            out.add(DriftSignal.LAG_HARD);
        }
        return out;
    }
}
