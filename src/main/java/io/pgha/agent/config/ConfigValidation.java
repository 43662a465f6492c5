package io.pgha.agent.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;

/** Stops startup on a bad setting: an agent with a wrong config would route traffic wrongly, not crash. */
@Singleton
public class ConfigValidation {

    private final AgentConfig config;

    public ConfigValidation(AgentConfig config) {
        this.config = config;
    }

    // Runs before the agent-check server and the loop start (lower priority value runs first).
    void onStart(@Observes @Priority(1) StartupEvent event) {
        List<String> problems = ConfigCheck.problems(config);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid pgha configuration: " + String.join("; ", problems));
        }
    }
}
