package io.pgha.agent.gossip;

import io.pgha.agent.etcd.LeasedKey;
import io.pgha.agent.metrics.AgentMetrics;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Carries out one {@link PublishPolicy.Step} on a {@link LeasedKey}, for {@link LeasePublisher} (this node's
 * status, the hook's view of HAProxy). Decides nothing; the publishers' policies chose the step. Any
 * failure drops the lease, so the next step after etcd returns grants a new one and republishes; it is logged
 * once per lost lease, not once a second while etcd is away.
 */
public final class LeaseSteps {

    private static final Logger LOG = Logger.getLogger(LeaseSteps.class);

    private LeaseSteps() {
    }

    /**
     * @param value  the bytes to write, built only when the step writes
     * @param what   names the publisher in logs ("gossip", "hook view") and, as {@code metric}, in pgha_gossip_events
     * @return whether the value was written (the caller then remembers what it wrote)
     */
    public static boolean carryOut(LeasedKey lease, PublishPolicy.Step step, Callable<byte[]> value, AgentMetrics metrics,
            String what, String metric) {
        if (step == PublishPolicy.Step.WAIT) {
            return false; // nothing asked of etcd, nothing to count
        }
        try {
            boolean wrote = switch (step) {
                case WAIT -> false;
                case GRANT_AND_PUT -> {
                    lease.grantAndPut(value.call());
                    LOG.infof("%s: published %s on new %s", what, lease.key(), lease.describeLease());
                    yield true;
                }
                case PUT -> {
                    lease.put(value.call());
                    yield true;
                }
                case KEEP_ALIVE -> {
                    lease.keepAlive();
                    yield false;
                }
            };
            metrics.gossip(metric, "ok");
            return wrote;
        } catch (Exception e) {
            metrics.gossip(metric, e instanceof TimeoutException ? "timeout" : "error");
            if (lease.hasLease()) {
                LOG.warnf("%s: publishing %s failed (%s); will grant a new lease and republish", what, lease.key(), e);
            }
            lease.dropLease();
            return false;
        }
    }
}
