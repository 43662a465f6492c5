package io.pgha.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A wall clock stepped by five minutes either way, against a monotonic clock that only moves forward. */
class SteadyClockTest {

    private long wall = Instant.parse("2026-12-03T10:00:00Z").toEpochMilli();
    private long mono = 5_000_000_000L;
    private final SteadyClock clock = new SteadyClock(() -> wall, () -> mono);

    private void pass(long millis) {
        wall += millis;
        mono += millis * 1_000_000L;
    }

    @Test
    void followsTheWallClockWhileTheyAgree() {
        Instant a = clock.instant();
        pass(1500);
        assertEquals(Duration.ofMillis(1500), Duration.between(a, clock.instant()));
        assertEquals(Instant.ofEpochMilli(wall), clock.instant());
    }

    @Test
    void aStepForwardIsAbsorbedAtATenthOfRealTime() {
        Instant a = clock.instant();
        wall += Duration.ofMinutes(5).toMillis();
        pass(1000);
        Duration measured = Duration.between(a, clock.instant());
        assertTrue(measured.compareTo(Duration.ofMillis(1100)) <= 0 && measured.compareTo(Duration.ofMillis(1000)) >= 0,
                "one real second across a +5 min step measured " + measured);
        for (int i = 0; i < 3000; i++) {
            pass(1000);
            clock.instant();
        }
        assertEquals(Instant.ofEpochMilli(wall), clock.instant(), "caught up after ten times the step");
    }

    @Test
    void aStepBackNeverRunsTheClockBackwards() {
        Instant before = clock.instant();
        wall -= Duration.ofMinutes(5).toMillis();
        Instant last = before;
        for (int i = 0; i < 50; i++) {
            pass(100);
            Instant now = clock.instant();
            assertTrue(!now.isBefore(last), now + " before " + last);
            last = now;
        }
        Duration measured = Duration.between(before, last);
        assertTrue(measured.compareTo(Duration.ofMillis(4500)) >= 0, "5 real seconds measured " + measured);
    }

    @Test
    void aSmallStepBackIsFollowedWithoutGoingBackwards() {
        Instant a = clock.instant();
        wall -= 30;
        pass(10);
        Instant b = clock.instant();
        assertTrue(!b.isBefore(a));
        pass(100);
        assertEquals(Instant.ofEpochMilli(wall), clock.instant());
    }
}
