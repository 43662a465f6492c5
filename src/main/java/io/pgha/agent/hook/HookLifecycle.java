package io.pgha.agent.hook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgha.agent.config.AgentConfig;
import io.pgha.agent.gossip.ClusterView;
import io.pgha.agent.gossip.GossipBeans;
import io.pgha.agent.metrics.AgentMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/** Starts the hook in pgha.mode=hook (after the watcher), and nothing in agent mode. */
@Singleton
public class HookLifecycle {

    private static final Logger LOG = Logger.getLogger(HookLifecycle.class);

    private final AgentConfig config;
    private final HookRunner runner;

    public HookLifecycle(AgentConfig config, GossipBeans gossip, ObjectMapper json, AgentMetrics metrics, Clock clock) {
        this.config = config;
        HookConfig h = config.hook();
        List<Consumer<ClusterView>> after = new ArrayList<>();
        h.render().template().ifPresent(t -> after.add(new ConfigRenderer(t, h.render().output().orElseThrow(),
                h.render(), new RuntimeApiClient(h.adminSocket(), h.socketTimeout()), metrics)));
        h.command().ifPresent(c -> after.add(new UserCommand(c, h.commandTimeout(), json, metrics)));
        this.runner = "hook".equals(config.mode())
                ? new HookRunner(gossip.watcher()::view, new RuntimeApiClient(h.adminSocket(), h.socketTimeout()),
                        new HookPolicy(new HookPolicy.Settings(h.confirmTimeout(), h.promotionGrace())), metrics, clock, after)
                : null;
        if (runner != null) {
            gossip.watcher().onChange(runner::changed);
        }
    }

    void onStart(@Observes @Priority(40) StartupEvent event) {
        if (runner == null) {
            return;
        }
        runner.start(config.hook().reconcileInterval());
        LOG.infof("hook: pushing the cluster view into HAProxy through %s every %d ms and on every change",
                config.hook().adminSocket(), config.hook().reconcileInterval().toMillis());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (runner != null) {
            runner.close();
        }
    }
}
