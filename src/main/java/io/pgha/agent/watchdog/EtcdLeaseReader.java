package io.pgha.agent.watchdog;

import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.options.LeaseOption;
import io.pgha.agent.etcd.EtcdClientHolder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The lease's time to live from etcd (LeaseTimeToLive, served by the etcd leader, so a member cut off from the
 * quorum cannot answer from a stale copy). etcd counts in whole seconds and rounds down, which errs early.
 */
final class EtcdLeaseReader implements LeaseReader {

    private final EtcdClientHolder etcd;
    private final Duration timeout;

    EtcdLeaseReader(EtcdClientHolder etcd, Duration timeout) {
        this.etcd = etcd;
        this.timeout = timeout;
    }

    @Override
    public WatchdogFacts.LeaseSeen read(long lease) throws Exception {
        LeaseTimeToLiveResponse r = etcd.get().getLeaseClient().timeToLive(lease, LeaseOption.DEFAULT)
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        // -1: the lease has expired or was revoked.
        return new WatchdogFacts.LeaseSeen(lease, Duration.ofSeconds(Math.max(0, r.getTTL())),
                Duration.ofSeconds(Math.max(0, r.getGrantedTTL())));
    }
}
