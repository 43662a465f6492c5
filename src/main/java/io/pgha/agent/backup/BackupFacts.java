package io.pgha.agent.backup;

import java.time.Instant;

/**
 * This node's backup facts in one immutable value: what the health group judges and what the gossip will
 * publish under {@code /pgha/<scope>/agents/<node>}. Null fields mean "never happened since start" (the last
 * good backup is also recovered from the manifests at startup).
 *
 * @param running what is running now ("scheduled run ...", "manual run", "drill of ..."), null when idle
 */
public record BackupFacts(Instant lastGoodAt, String lastGoodId, Instant lastFailureAt, String lastFailure,
        Instant lastDrillAt, Boolean lastDrillOk, String lastDrillDetail, String running, String lastDecision) {

    public static final BackupFacts NONE = new BackupFacts(null, null, null, null, null, null, null, null, null);

    /** Failing = the newest outcome (backup or drill) on this node was a failure. */
    public boolean failing() {
        boolean backupFailing = lastFailureAt != null && (lastGoodAt == null || lastFailureAt.isAfter(lastGoodAt));
        boolean drillFailing = Boolean.FALSE.equals(lastDrillOk);
        return backupFailing || drillFailing;
    }

    public BackupFacts good(Instant at, String id) {
        return new BackupFacts(at, id, lastFailureAt, lastFailure, lastDrillAt, lastDrillOk, lastDrillDetail, running,
                lastDecision);
    }

    public BackupFacts failed(Instant at, String cause) {
        return new BackupFacts(lastGoodAt, lastGoodId, at, cause, lastDrillAt, lastDrillOk, lastDrillDetail, running,
                lastDecision);
    }

    public BackupFacts drill(Instant at, boolean ok, String detail) {
        return new BackupFacts(lastGoodAt, lastGoodId, lastFailureAt, lastFailure, at, ok, detail, running,
                lastDecision);
    }

    public BackupFacts running(String what) {
        return new BackupFacts(lastGoodAt, lastGoodId, lastFailureAt, lastFailure, lastDrillAt, lastDrillOk,
                lastDrillDetail, what, lastDecision);
    }

    public BackupFacts decided(String reason) {
        return new BackupFacts(lastGoodAt, lastGoodId, lastFailureAt, lastFailure, lastDrillAt, lastDrillOk,
                lastDrillDetail, running, reason);
    }
}
