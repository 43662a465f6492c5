package io.pgha.agent.reinit;

import io.pgha.agent.gossip.GossipFacts;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/** Drift and reinit state in this node's published status: what `pgha status` shows as drift. */
@Singleton
public class ReinitGossip implements GossipFacts {
    private final ReinitLifecycle lifecycle;

    public ReinitGossip(ReinitLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public String slot() {
        return "drift";
    }

    @Override
    public Object facts() {
        return lifecycle.runner().map(r -> {
            ReinitRunner.State s = r.state();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("state", s.running() ? "reinitialising" : s.paused() ? "paused" : s.drift().isEmpty() ? "none" : "drifting");
            out.put("signals", s.drift().keySet());
            if (!s.attempts().isEmpty()) {
                ReinitRunner.Attempt a = s.attempts().get(s.attempts().size() - 1);
                out.put("lastReinit", Map.of("at", a.startedAt().toString(), "outcome", a.outcome()));
            }
            return (Object) out;
        }).orElse(null);
    }
}
