package io.pgha.agent.haproxy;

import io.pgha.agent.config.AgentConfig;
import io.pgha.agent.health.VerdictStore;
import io.pgha.agent.metrics.AgentMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Binds the agent-check port at startup and fails startup if it cannot: an agent that silently does not listen
 * leaves HAProxy on the last state it reported, which may be {@code up}.
 */
@Singleton
public class AgentCheckLifecycle {

    private static final Logger LOG = Logger.getLogger(AgentCheckLifecycle.class);

    private final AgentCheckServer server;
    private final boolean agentMode;

    public AgentCheckLifecycle(AgentConfig config, VerdictStore store, AgentMetrics metrics) {
        AgentConfig.AgentCheck c = config.agentCheck();
        this.agentMode = "agent".equals(config.mode());
        this.server = new AgentCheckServer(c.host(), c.port(), c.readTimeout(), store::current, metrics);
    }

    // After config validation (priority 1).
    void onStart(@Observes @Priority(10) StartupEvent event) throws Exception {
        if (!agentMode) {
            LOG.info("hook mode: the agent-check server stays off");
            return;
        }
        server.start();
        LOG.infof("agent-check listening on port %d", server.actualPort());
    }

    void onStop(@Observes ShutdownEvent event) throws Exception {
        if (!agentMode) {
            return;
        }
        server.stop();
    }

    public int port() {
        return server.actualPort();
    }
}
