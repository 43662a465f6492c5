package io.pgha.agent.fastpath;

import io.pgha.agent.fastpath.CrashEvidence.LeaderKey;

import java.util.Optional;

/** Patroni's leader key as the fast path needs it: a quorum read, and a guarded delete. */
public interface LeaderKeyStore {

    /**
     * A linearizable read (it goes through the etcd leader, so it needs a quorum).
     *
     * @throws LeaderKeyException when etcd cannot answer in time
     */
    Optional<LeaderKey> read() throws LeaderKeyException;

    /**
     * Deletes the key only if it still holds this value at this mod revision, in one etcd
     * transaction. Returns false when the comparison failed (someone else wrote the key).
     */
    boolean deleteIfUnchanged(LeaderKey key) throws LeaderKeyException;

    final class LeaderKeyException extends Exception {
        public LeaderKeyException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
