package io.pgha.agent.node;

import java.util.Locale;

/** The roles HAProxy asks about through its agent-send line. */
public enum Role {
    PRIMARY, REPLICA, ANY;

    private final String wire = name().toLowerCase(Locale.ROOT);

    /** Computed once: it is read on every agent-check reply. */
    public String wire() {
        return wire;
    }
}
