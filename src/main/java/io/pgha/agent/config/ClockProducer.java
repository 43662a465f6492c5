package io.pgha.agent.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * One clock for every age computation, so tests can pin time instead of sleeping; in the agent a
 * {@link SteadyClock}, so a stepped wall clock moves no age it decides on.
 */
public class ClockProducer {

    @Produces
    @Singleton
    Clock clock() {
        return new SteadyClock();
    }
}
