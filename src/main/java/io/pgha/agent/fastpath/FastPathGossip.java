package io.pgha.agent.fastpath;

import io.pgha.agent.gossip.GossipFacts;
import jakarta.inject.Singleton;

import java.util.Map;

/** Whether the crash fast path runs on this node and how often it released the leader key. */
@Singleton
public class FastPathGossip implements GossipFacts {
    private final FastPathLifecycle lifecycle;

    public FastPathGossip(FastPathLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public String slot() {
        return "fastPath";
    }

    @Override
    public Object facts() {
        // Counts, not the decision sentence: a sentence that changes each check would rewrite the key each time.
        return lifecycle.state().map(s -> (Object) Map.of("running", true, "releases", s.releases()))
                .orElse(Map.of("running", false));
    }
}
