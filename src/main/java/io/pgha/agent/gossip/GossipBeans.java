package io.pgha.agent.gossip;

import io.pgha.agent.config.AgentConfig;
import io.pgha.agent.etcd.EtcdClientHolder;
import io.pgha.agent.etcd.KeyLayout;
import io.pgha.agent.etcd.LeasedKey;
import io.pgha.agent.health.VerdictStore;
import io.pgha.agent.http.Endpoints;
import io.pgha.agent.http.Routes;
import io.pgha.agent.json.Json;
import io.pgha.agent.metrics.AgentMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Wires the watcher (every mode: agents serve /cluster, the hook routes from it) and the publisher (agent mode
 * only: the hook has no health loop and nothing of its own to say), all on the shared jetcd client.
 * {@code GET /cluster}: the whole view this process holds, as JSON (what {@code pgha-status} prints).
 */
@Singleton
public class GossipBeans implements Routes {

    private static final Logger LOG = Logger.getLogger(GossipBeans.class);

    private final AgentConfig config;
    private final ClusterWatcher watcher;
    private final LeasePublisher<AgentStatus> publisher;
    private final ViewParser parser;

    public GossipBeans(AgentConfig config, EtcdClientHolder etcd, KeyLayout keys, VerdictStore store,
            Json json, AgentMetrics metrics, Clock clock,
            jakarta.enterprise.inject.Instance<io.pgha.agent.job.Job> jobs) {
        this.config = config;
        GossipConfig g = config.gossip();
        String prefix = g.prefixFor(config.scope());
        g.prefixClash(config.scope()).ifPresent(problem -> {
            // ConfigCheck has no scope to check this with; refusing to start says it as loudly.
            throw new IllegalStateException(problem);
        });
        this.parser = new ViewParser(keys, prefix, g.hookPrefixFor(config.scope()));
        this.watcher = new ClusterWatcher(etcd, keys, parser, metrics, clock, g.callTimeout(), g.confirmTimeout(), g.confirmInterval());
        String version = ConfigProvider.getConfig().getOptionalValue("quarkus.application.version", String.class)
                .orElse("unknown");
        this.publisher = "agent".equals(config.mode())
                ? new LeasePublisher<>(new LeasedKey(etcd, parser.agentKey(config.nodeName()), g.leaseTtl(),
                        g.callTimeout()),
                        new StatusSource(config.nodeName(), version, store, jobs.stream().toList(), json),
                        new PublishPolicy(g.leaseTtl(), g.publishInterval()),
                        new LeasePublisher.Names("pgha-gossip-publish", "gossip", "publish", "this node's status"),
                        json, metrics, clock)
                : null;
        if (publisher != null) {
            watcher.onKey(publisher::seen);
        }
    }

    public ClusterWatcher watcher() {
        return watcher;
    }

    /** The etcd key a HAProxy hook of this name publishes its view under. */
    public String hookKey(String name) {
        return parser.hookKey(name);
    }

    public boolean enabled() {
        return config.gossip().enabled();
    }

    @Override
    public void register(Endpoints on) {
        on.get("/cluster", x -> {
            if (!enabled()) {
                x.error(503, "gossip disabled");
            } else {
                x.json(200, watcher.view());
            }
        });
    }

    // After the health loop (priority 20), so the first publication usually has verdicts.
    void onStart(@Observes @Priority(30) StartupEvent event) {
        if (!enabled()) {
            LOG.info("gossip disabled (pgha.gossip.enabled=false)");
            return;
        }
        watcher.start();
        if (publisher != null) {
            publisher.start(config.gossip().publishInterval());
        }
        LOG.infof("gossip: %s under %s, watching it, the hooks' %s and Patroni's keys",
                publisher != null ? "publishing" : "not publishing", config.gossip().prefixFor(config.scope()),
                config.gossip().hookPrefixFor(config.scope()));
    }

    void onStop(@Observes @Priority(1) ShutdownEvent event) {
        if (publisher != null) {
            publisher.close();
        }
        watcher.close();
    }
}
