package io.pgha.agent.fastpath;

import java.time.Instant;
import java.util.Optional;

/**
 * What one check saw on this node, gathered without deciding anything.
 *
 * @param at             when the check finished
 * @param leaderKey      Patroni's leader key as read from etcd with a linearizable (quorum) read;
 *                       empty when the key does not exist
 * @param etcdQuorum     whether that read succeeded; a serializable or failed read proves nothing
 * @param patroniPort    how a TCP connect to Patroni's REST port ended
 * @param patroniProcess whether a Patroni process exists, or UNKNOWN where processes are not visible
 * @param postgresPort   how a TCP connect to PostgreSQL's port ended
 * @param postmaster     what postmaster.pid says about the data directory's owner
 * @param agentHealthy   whether this agent's own loop is running normally (its clock and threads
 *                       can be trusted)
 */
public record CrashEvidence(
        Instant at,
        Optional<LeaderKey> leaderKey,
        boolean etcdQuorum,
        PortState patroniPort,
        ProcessState patroniProcess,
        PortState postgresPort,
        PostmasterState postmaster,
        boolean agentHealthy) {

    /** Patroni's leader key: its value (a member name) and the revision it was last written at. */
    public record LeaderKey(String holder, long modRevision) { }

    /** How a connect ended. Only REFUSED is evidence of death; TIMEOUT may be a hung, live process. */
    public enum PortState { OPEN, REFUSED, TIMEOUT, ERROR }

    public enum ProcessState { RUNNING, ABSENT, UNKNOWN }

    /**
     * ABSENT: no postmaster.pid. DEAD: its PID is gone or a zombie. REUSED: the PID is alive but is
     * not the postmaster that wrote the file (another program, or started at another time). ORPHANS:
     * the postmaster is gone but some of its processes (backends, walsenders) still run in the data
     * directory and could still commit. ALIVE: the postmaster runs. UNKNOWN: unreadable.
     */
    public enum PostmasterState { ABSENT, DEAD, REUSED, ORPHANS, ALIVE, UNKNOWN }
}
