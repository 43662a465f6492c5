package io.pgha.agent.fastpath;

import java.util.Optional;

/**
 * The fast path's verdict for one check. {@code release} carries the exact key revision to delete,
 * so the action can compare it in its transaction.
 */
public record LeaderGoneDecision(Optional<CrashEvidence.LeaderKey> release, String reason) {

    public static LeaderGoneDecision keep(String reason) {
        return new LeaderGoneDecision(Optional.empty(), reason);
    }

    public static LeaderGoneDecision release(CrashEvidence.LeaderKey key, String reason) {
        return new LeaderGoneDecision(Optional.of(key), reason);
    }

    public boolean releases() {
        return release.isPresent();
    }
}
