package io.pgha.agent.watchdog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Counts checks and fences; the runner sees only {@link WatchdogRunner.Events}. */
final class WatchdogMetrics implements WatchdogRunner.Events {

    private final Counter checks;
    private final Counter stopped;
    private final Counter failed;

    WatchdogMetrics(MeterRegistry registry) {
        checks = Counter.builder("pgha_watchdog_checks").description("Leader watchdog checks").register(registry);
        stopped = Counter.builder("pgha_watchdog_fences").tag("outcome", "stopped")
                .description("PostgreSQL stops by the leader watchdog before the leader key expired").register(registry);
        failed = Counter.builder("pgha_watchdog_fences").tag("outcome", "failed")
                .description("PostgreSQL stops by the leader watchdog before the leader key expired").register(registry);
    }

    @Override
    public void checked(WatchdogDecision d) {
        checks.increment();
    }

    @Override
    public void fenced(WatchdogDecision d, Stopper.Stopped how) {
        (how.done() ? stopped : failed).increment();
    }
}
