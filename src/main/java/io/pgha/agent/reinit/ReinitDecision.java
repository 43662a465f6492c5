package io.pgha.agent.reinit;

import java.util.Optional;

/**
 * What to do this loop. {@code act} is true only when the runner should re-initialise now; a dry
 * run reports the same sentence with {@code act} false.
 */
public record ReinitDecision(boolean act, Optional<DriftSignal> signal, String reason) {

    static ReinitDecision nothing(String reason) {
        return new ReinitDecision(false, Optional.empty(), reason);
    }

    static ReinitDecision hold(DriftSignal s, String reason) {
        return new ReinitDecision(false, Optional.of(s), reason);
    }

    static ReinitDecision reinit(DriftSignal s, String reason) {
        return new ReinitDecision(true, Optional.of(s), reason);
    }
}
