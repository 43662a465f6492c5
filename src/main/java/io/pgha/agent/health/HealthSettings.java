package io.pgha.agent.health;

import io.pgha.agent.config.AgentConfig;
import java.time.Duration;

/** The slice of configuration the policy reads, as a record so table tests need no config machinery. */
public record HealthSettings(
        String nodeName,
        Duration interval,
        Duration maxUnreadable,
        long weightStartBytes,
        long softBytes,
        long hardBytes,
        Duration softLag,
        Duration hardLag,
        Duration reconnectGrace,
        boolean maintenanceDrains) {

    public static HealthSettings from(AgentConfig c) {
        return new HealthSettings(c.nodeName(), c.loop().interval(), c.etcd().maxUnreadable(),
                c.lag().weightStartBytes(), c.lag().softBytes(), c.lag().hardBytes(),
                c.lag().softSeconds(), c.lag().hardSeconds(), c.lag().reconnectGrace(),
                "drain".equalsIgnoreCase(c.maintenance().mode()));
    }

    /** Three missed cycles: one late cycle is noise, three means the loop or the host is in trouble. */
    public Duration staleAfter() {
        // Not multipliedBy: it goes through BigDecimal, and this runs on every agent-check reply.
        return Duration.ofSeconds(interval.getSeconds() * 3, interval.getNano() * 3L);
    }
}
