package io.pgha.agent.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class VerdictStoreTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now;

        ManualClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void failsClosedBeforeTheFirstCycleAndWhenTheLoopStops() {
        ManualClock clock = new ManualClock(Snapshots.NOW);
        HealthPolicy policy = new HealthPolicy(Snapshots.settings(false));
        VerdictStore store = new VerdictStore(policy, clock);
        assertEquals("down", store.current().primary().label());
        assertFalse(store.fresh());

        var snapshot = Snapshots.leader().build();
        store.publish(snapshot, policy.decide(snapshot, clock.now));
        assertEquals("up", store.current().primary().label());
        assertTrue(store.fresh());

        clock.now = clock.now.plus(Duration.ofMillis(3500));
        Verdict v = store.current().primary();
        assertEquals("down", v.label());
        assertTrue(v.reason().contains("snapshot is 3.5s old"), v.reason());
        assertFalse(store.fresh());
    }
}
