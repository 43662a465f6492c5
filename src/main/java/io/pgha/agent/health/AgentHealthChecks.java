package io.pgha.agent.health;

import io.pgha.agent.config.AgentConfig;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import jakarta.enterprise.inject.Produces;

/**
 * The agent's own health, not the database's: live while the loop keeps finishing cycles, ready while the
 * verdicts it serves come from a fresh snapshot. A down PostgreSQL keeps the agent live and ready (it is
 * still answering {@code down} correctly).
 */
@Singleton
public class AgentHealthChecks {

    // Ten intervals (min 10 s): restarting the agent over a single slow cycle would cost more than it fixes.
    private static Duration liveLimit(AgentConfig config) {
        Duration tenIntervals = config.loop().interval().multipliedBy(10);
        return tenIntervals.compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofSeconds(10) : tenIntervals;
    }

    @Produces
    @Liveness
    HealthCheck loopRuns(VerdictStore store, AgentConfig config) {
        Duration limit = liveLimit(config);
        if (!"agent".equals(config.mode())) {
            // Hook mode runs no health loop; the hook's own trust in its view is in its log and /cluster.
            return () -> HealthCheckResponse.named("health-loop").up().withData("mode", config.mode()).build();
        }
        return () -> {
            Duration since = store.sinceLastCycle();
            return HealthCheckResponse.named("health-loop")
                    .status(since.compareTo(limit) <= 0)
                    .withData("sinceLastCycleMillis", since.toMillis())
                    .withData("limitMillis", limit.toMillis())
                    .build();
        };
    }

    @Produces
    @Readiness
    HealthCheck snapshotFresh(VerdictStore store, AgentConfig config) {
        if (!"agent".equals(config.mode())) {
            return () -> HealthCheckResponse.named("snapshot").up().withData("mode", config.mode()).build();
        }
        return () -> HealthCheckResponse.named("snapshot")
                .status(store.fresh())
                .withData("ageMillis", store.snapshotAge().toMillis())
                .build();
    }
}
