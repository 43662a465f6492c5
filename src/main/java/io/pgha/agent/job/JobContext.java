package io.pgha.agent.job;

import io.micrometer.core.instrument.MeterRegistry;
import io.pgha.agent.config.AgentConfig;
import io.pgha.agent.etcd.EtcdClientHolder;
import io.pgha.agent.etcd.KeyLayout;
import io.pgha.agent.health.VerdictStore;
import java.time.Clock;

/**
 * What every job's bean builds its runner from: the settings, the process's one jetcd client and Patroni's key
 * names, the health loop's verdicts (the local facts every job reads first), the metrics registry and the clock.
 * A job that needs more (Patroni's REST API, the gossip) asks for it beside this.
 */
public record JobContext(AgentConfig config, EtcdClientHolder etcd, KeyLayout keys, VerdictStore verdicts,
        MeterRegistry registry, Clock clock) {
}
