package io.pgha.agent.watchdog;

import java.time.Duration;
import java.util.Optional;

/**
 * What one watchdog check saw.
 *
 * @param writable   this node's PostgreSQL: TRUE read-write, FALSE in recovery or not running, null unknown (it
 *                   did not answer but its postmaster runs: it may still take writes)
 * @param paused     Patroni's pause (maintenance mode), as last seen
 * @param holder     the leader key's value as the agent last read it; empty when the key is gone
 * @param lastSeen   the last lease reading of a key that named this node; null when none since PostgreSQL became
 *                   read-write here
 * @param sinceSeen  monotonic time since {@code lastSeen} was read (a wall-clock jump changes nothing)
 * @param readFailed why this check's lease read failed; null when it succeeded or was not needed
 */
public record WatchdogFacts(String node, Boolean writable, boolean paused, Optional<String> holder, LeaseSeen lastSeen,
        Duration sinceSeen, String readFailed) {

    /**
     * One reading of the leader key's lease.
     *
     * @param remaining what etcd says is left (whole seconds, rounded down; 0 when the lease is gone)
     * @param granted   the lease's TTL as granted (Patroni's ttl)
     */
    public record LeaseSeen(long lease, Duration remaining, Duration granted) {
    }

    public boolean mine() {
        return holder.map(node::equals).orElse(false);
    }
}
