package io.pgha.agent.health;

import java.util.Locale;

/** The state a verdict asks HAProxy for; WEIGHT carries a percentage in {@link Verdict#weight()}. */
public enum Word {
    UP, WEIGHT, DRAIN, MAINT, READY, DOWN;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a Patroni-style HTTP check should answer 200: new connections are welcome. */
    public boolean acceptsTraffic() {
        return this == UP || this == WEIGHT || this == READY;
    }
}
