package io.pgha.agent.backup;

import java.time.Duration;

/** The backup feature's metrics facade (the AgentMetrics style), so the job can be tested with {@link #NONE}. */
public interface BackupMetrics {

    /** One database or globals dump ended; {@code cause} is ok, exit, timeout, verification, disk-full, error. */
    void dump(String database, String cause, Duration took, long bytes);

    /** A restore drill ended. */
    void drill(boolean ok, Duration took);

    /** Report the last good backup's end time and the last failure's time whenever metrics are scraped. */
    void watch(BackupStatus status);

    BackupMetrics NONE = new BackupMetrics() {
        @Override
        public void dump(String database, String cause, Duration took, long bytes) {
        }

        @Override
        public void drill(boolean ok, Duration took) {
        }

        @Override
        public void watch(BackupStatus status) {
        }
    };
}
