package io.pgha.agent.fastpath;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pgha.agent.fastpath.CrashEvidence.LeaderKey;

/** Counts checks and releases; the runner sees only {@link FastPathRunner.Events}. */
final class FastPathMetrics implements FastPathRunner.Events {
    private final Counter checks;
    private final Counter deleted;
    private final Counter keyChanged;

    FastPathMetrics(MeterRegistry registry) {
        checks = Counter.builder("pgha_fast_path_checks").description("Crash fast path checks").register(registry);
        deleted = Counter.builder("pgha_fast_path_releases").tag("outcome", "deleted")
                .description("Leader key releases by the crash fast path").register(registry);
        keyChanged = Counter.builder("pgha_fast_path_releases").tag("outcome", "not_deleted")
                .description("Leader key releases by the crash fast path").register(registry);
    }

    @Override
    public void checked(LeaderGoneDecision decision) {
        checks.increment();
    }

    @Override
    public void released(LeaderKey key, boolean succeeded, String reason) {
        (succeeded ? deleted : keyChanged).increment();
    }
}
