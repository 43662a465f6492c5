package io.pgha.agent.health;

import java.util.Locale;

/** The state a verdict asks HAProxy for; WEIGHT carries a percentage in {@link Verdict#weight()}. */
public enum Word {
    UP, WEIGHT, DRAIN, MAINT, READY, DOWN;

    private final String wire = name().toLowerCase(Locale.ROOT);

    /** Computed once: it is read on every agent-check reply. */
    public String wire() {
        return wire;
    }

    /** Whether a Patroni-style HTTP check should answer 200: new connections are welcome. */
    public boolean acceptsTraffic() {
        return this == UP || this == WEIGHT || this == READY;
    }
}
