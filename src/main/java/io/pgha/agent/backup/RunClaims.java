package io.pgha.agent.backup;

/**
 * Who runs a backup, agreed through etcd. A claim is held through a lease that the holder keeps alive for the
 * whole run; a holder that dies stops renewing, the lease expires and its keys vanish, so a dead runner can
 * block the next run for at most one lease TTL and never forever.
 */
public interface RunClaims {

    /**
     * Claims the scheduled run {@code runKey} (the same on every node: the cron's fire instant) together with
     * the cluster-wide lock. Exactly one caller per run key can win; a caller also loses while any other run
     * (scheduled or manual) holds the lock.
     */
    Claim claimRun(String runKey, String node) throws ClaimException;

    /** The cluster-wide lock only, for a manual run: refused while another run holds it. */
    Claim lock(String node) throws ClaimException;

    /** A won claim must be closed: {@code done(true)} keeps the run key (the run happened), false frees it. */
    interface Claim extends AutoCloseable {
        boolean won();

        /** Why the claim was lost, or who won it. */
        String reason();

        /** True once the lease could not be renewed: the run must stop, another node may take over. */
        boolean lost();

        void done(boolean keepRunKey);

        @Override
        default void close() {
            done(false);
        }
    }

    final class ClaimException extends Exception {
        public ClaimException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
