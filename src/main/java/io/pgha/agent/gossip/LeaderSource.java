package io.pgha.agent.gossip;

import io.pgha.agent.config.AgentConfig;
import io.pgha.agent.etcd.EtcdClientHolder;
import io.pgha.agent.etcd.EtcdLeaderClient;
import io.pgha.agent.etcd.KeyLayout;
import io.pgha.agent.etcd.LeaderReader;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Where the health loop learns Patroni's leader key: from the cluster watcher when gossip runs (it reads the key
 * anyway, and hears a new leader through its watch the moment etcd commits it), from a quorum read of its own
 * each cycle when gossip is off.
 */
public class LeaderSource {

    private static final Logger LOG = Logger.getLogger(LeaderSource.class);

    @Produces
    @Singleton
    LeaderReader leaderReader(AgentConfig config, GossipBeans gossip, EtcdClientHolder holder, KeyLayout keys,
            Clock clock) {
        if (gossip.enabled()) {
            GossipConfig g = config.gossip();
            // A confirmation lands every confirm-interval plus at most one read; beyond that the watcher is stuck.
            return new WatchedLeader(gossip.watcher()::leaderRead, keys.leader(),
                    g.confirmInterval().plus(g.confirmTimeout().multipliedBy(2)), clock);
        }
        LOG.info("gossip is off: the health loop reads the leader key itself each cycle");
        return new EtcdLeaderClient(holder, keys, config.loop().probeTimeout(), clock);
    }

    void close(@Disposes LeaderReader reader) {
        if (reader instanceof EtcdLeaderClient own) {
            own.close();
        }
    }
}
