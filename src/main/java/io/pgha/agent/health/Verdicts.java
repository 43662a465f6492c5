package io.pgha.agent.health;

import io.pgha.agent.node.Role;
import java.time.Instant;

/** The three verdicts of one cycle, all from the same snapshot taken at {@code snapshotAt}. */
public record Verdicts(Verdict primary, Verdict replica, Verdict any, Instant snapshotAt) {

    public static Verdicts all(Verdict v, Instant snapshotAt) {
        return new Verdicts(v, v, v, snapshotAt);
    }

    public Verdict of(Role role) {
        return switch (role) {
            case PRIMARY -> primary;
            case REPLICA -> replica;
            case ANY -> any;
        };
    }
}
