package io.pgha.agent.node;

import java.time.Instant;
import java.util.Optional;

/**
 * Patroni's leader key as last read from etcd.
 *
 * @param probe      how this cycle's read ended
 * @param leader     value of the leader key at the last successful read; empty when the key was missing
 * @param lastReadAt when a read last succeeded, null if never: the policy fences on its age, not on one failure
 */
public record EtcdStatus(ProbeResult probe, String leaderKey, Optional<String> leader, Instant lastReadAt) {

    public boolean everRead() {
        return lastReadAt != null;
    }
}
