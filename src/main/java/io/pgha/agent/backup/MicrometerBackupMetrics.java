package io.pgha.agent.backup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * Micrometer behind {@link BackupMetrics}: pgha_backup_dumps_total{database,result},
 * pgha_backup_dump_seconds, pgha_backup_last_size_bytes, pgha_backup_drills_total{result},
 * pgha_backup_last_success_timestamp_seconds and pgha_backup_last_failure_timestamp_seconds (NaN: never).
 * Alert on "last success older than two schedule intervals", which also catches runs that never start.
 */
public final class MicrometerBackupMetrics implements BackupMetrics {

    private final MeterRegistry registry;
    private volatile double lastSize = Double.NaN;

    public MicrometerBackupMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("pgha.backup.last.size.bytes", this, m -> m.lastSize)
                .description("size of the last dump that completed").register(registry);
    }

    @Override
    public void dump(String database, String cause, Duration took, long bytes) {
        Counter.builder("pgha.backup.dumps").tag("database", database).tag("result", cause)
                .description("dumps by database and result (ok or the failure's kind)").register(registry).increment();
        Timer.builder("pgha.backup.dump").tag("result", "ok".equals(cause) ? "ok" : "failed")
                .description("time one dump took, verification included").register(registry).record(took);
        if ("ok".equals(cause)) {
            lastSize = bytes;
        }
    }

    @Override
    public void drill(boolean ok, Duration took) {
        Counter.builder("pgha.backup.drills").tag("result", ok ? "ok" : "failed")
                .description("restore drills by result").register(registry).increment();
    }

    @Override
    public void watch(BackupStatus status) {
        gauge("pgha.backup.last.success.timestamp.seconds", status, s -> s.facts().lastGoodAt());
        gauge("pgha.backup.last.failure.timestamp.seconds", status, s -> s.facts().lastFailureAt());
    }

    private void gauge(String name, BackupStatus status, Function<BackupStatus, Instant> at) {
        Gauge.builder(name, status, s -> {
            Instant i = at.apply(s);
            return i == null ? Double.NaN : i.toEpochMilli() / 1000.0;
        }).strongReference(true).register(registry);
    }
}
