package io.pgha.agent.hook;

import io.pgha.agent.config.AgentConfig;
import io.pgha.agent.etcd.EtcdClientHolder;
import io.pgha.agent.etcd.LeasedKey;
import io.pgha.agent.gossip.ClusterView;
import io.pgha.agent.gossip.GossipBeans;
import io.pgha.agent.gossip.GossipConfig;
import io.pgha.agent.gossip.HookStatus;
import io.pgha.agent.gossip.LeasePublisher;
import io.pgha.agent.gossip.PublishPolicy;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Starts the hook in pgha.mode=hook (after the watcher), and nothing in agent mode. With gossip on, the hook
 * also publishes its view of HAProxy to etcd (on the process's one jetcd client), so every agent shows it.
 * {@code GET /hook}: HAProxy's server states as this hook last read them and its last pushes with reasons (a
 * {@link HookStatus}). Only the hook has one: an agent answers 404, and its page shows the hook's view from
 * {@code GET /cluster} ({@code hooks}), which every process watches in etcd.
 */
@Singleton
public class HookLifecycle implements Routes {

    private static final Logger LOG = Logger.getLogger(HookLifecycle.class);

    private final AgentConfig config;
    /** Null in agent mode, and without gossip. */
    private final LeasePublisher<HookStatus> publisher;
    private final HookRunner runner;

    public HookLifecycle(AgentConfig config, GossipBeans gossip, EtcdClientHolder etcd, Json json,
            AgentMetrics metrics, Clock clock) {
        this.config = config;
        HookConfig h = config.hook();
        List<Consumer<ClusterView>> after = new ArrayList<>();
        h.render().template().ifPresent(t -> after.add(new ConfigRenderer(t, h.render().output().orElseThrow(),
                h.render(), new RuntimeApiClient(h.adminSocket(), h.socketTimeout()), metrics, clock)));
        h.command().ifPresent(c -> after.add(new UserCommand(c, h.commandTimeout(), json, metrics)));
        boolean hook = "hook".equals(config.mode());
        HookViewPolicy viewPolicy = new HookViewPolicy(config.nodeName(), h.viewRefresh(),
                new PublishPolicy(config.gossip().leaseTtl(), config.gossip().publishInterval()));
        this.runner = hook
                ? new HookRunner(gossip.watcher()::view, new RuntimeApiClient(h.adminSocket(), h.socketTimeout()),
                        new HookPolicy(new HookPolicy.Settings(h.confirmTimeout(), h.promotionGrace())), metrics, clock,
                        after, viewPolicy)
                : null;
        GossipConfig g = config.gossip();
        this.publisher = hook && gossip.enabled()
                ? new LeasePublisher<>(new LeasedKey(etcd, gossip.hookKey(config.nodeName()), g.leaseTtl(),
                        g.callTimeout()), runner::hookView, viewPolicy,
                        new LeasePublisher.Names("pgha-hook-publish", "hook view", "hook-publish", "HAProxy's view"),
                        json, metrics, clock)
                : null;
        if (runner != null) {
            gossip.watcher().onChange(runner::changed);
        }
        if (publisher != null) {
            gossip.watcher().onKey(publisher::seen);
        }
    }

    /** HAProxy's view from this hook; empty in agent mode (GET /hook answers 404 there). */
    public Optional<HookStatus> view() {
        return runner == null ? Optional.empty() : Optional.of(runner.hookView());
    }

    @Override
    public void register(Endpoints on) {
        on.get("/hook", x -> view().ifPresentOrElse(v -> x.json(200, v),
                () -> x.error(404, "not a hook (pgha.mode=agent): HAProxy's view is under \"hooks\" in GET /cluster")));
    }

    void onStart(@Observes @Priority(40) StartupEvent event) {
        if (runner == null) {
            return;
        }
        runner.start(config.hook().reconcileInterval());
        LOG.infof("hook: pushing the cluster view into HAProxy through %s every %d ms and on every change",
                config.hook().adminSocket(), config.hook().reconcileInterval().toMillis());
        if (publisher != null) {
            publisher.start(config.gossip().publishInterval());
            LOG.infof("hook: publishing HAProxy's view under %s on change and at least every %d s",
                    config.gossip().hookPrefixFor(config.scope()) + config.nodeName(),
                    config.hook().viewRefresh().toSeconds());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (publisher != null) {
            publisher.close();
        }
        if (runner != null) {
            runner.close();
        }
    }
}
