package io.pgha.agent.node;

import java.util.Locale;
import java.util.Optional;

/** The roles HAProxy asks about through its agent-send line. */
public enum Role {
    PRIMARY, REPLICA, ANY;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String word) {
        for (Role r : values()) {
            if (r.wire().equalsIgnoreCase(word)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
