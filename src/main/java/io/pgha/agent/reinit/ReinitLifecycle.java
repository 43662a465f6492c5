package io.pgha.agent.reinit;

import io.pgha.agent.etcd.EtcdClientHolder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pgha.agent.config.AgentConfig;
import io.pgha.agent.etcd.KeyLayout;
import io.pgha.agent.health.VerdictStore;
import io.pgha.agent.http.Endpoints;
import io.pgha.agent.http.Exchange;
import io.pgha.agent.http.Routes;
import io.pgha.agent.json.Json;
import io.pgha.agent.patroni.PatroniCluster;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.Optional;
import io.pgha.agent.patroni.PatroniHttp;
import io.vertx.core.http.HttpMethod;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Starts the reinit runner when {@code pgha.reinit.enabled}, on the agent's one jetcd client. {@code GET /reinit}:
 * state, drift seen, last decisions with reasons and attempts; {@code POST /reinit/pause} and {@code /reinit/resume}
 * (admin token). Worker threads: the runner's state is read under its lock.
 */
@Singleton
public class ReinitLifecycle implements Routes {
    private static final Logger LOG = Logger.getLogger(ReinitLifecycle.class);

    private final AgentConfig config;
    private final KeyLayout keys;
    private final VerdictStore verdicts;
    private final Json json;
    private final MeterRegistry registry;
    private final Clock clock;
    private final EtcdClientHolder etcd;
    private final PatroniHttp patroniHttp;
    /** Looked up when first needed: GossipBeans builds the GossipFacts beans, one of which needs this bean. */
    private final jakarta.enterprise.inject.Instance<io.pgha.agent.gossip.GossipBeans> gossip;
    private volatile ReinitRunner runner;

    public ReinitLifecycle(AgentConfig config, EtcdClientHolder etcd, KeyLayout keys, VerdictStore verdicts,
                           Json json, MeterRegistry registry, Clock clock, PatroniHttp patroniHttp,
                           jakarta.enterprise.inject.Instance<io.pgha.agent.gossip.GossipBeans> gossip) {
        this.patroniHttp = patroniHttp;
        this.gossip = gossip;
        this.config = config;
        this.etcd = etcd;
        this.keys = keys;
        this.verdicts = verdicts;
        this.json = json;
        this.registry = registry;
        this.clock = clock;
    }

    void onStart(@Observes @Priority(30) StartupEvent event) {
        ReinitConfig r = config.reinit();
        if (!r.enabled()) {
            LOG.info("reinit on drift off: pgha.reinit.enabled [PGHA_REINIT_ENABLED] is false");
            return;
        }
        var thresholds = new DriftTracker.Thresholds(r.loops(), r.notStreamingFor(), r.timelineBehindFor(),
                r.startFailedFor(), r.lagHardFor(), r.lagHardBytes(), r.rewindFailedFor());
        var policy = new ReinitPolicy(new ReinitPolicy.Settings(r.dryRun(), r.cooldown(), r.maxPerHour(),
                r.minHealthyOthers(), thresholds));
        // The lock lives beside the agents' own keys, never inside Patroni's.
        var lock = new ReinitLock(etcd, "/pgha/" + config.scope() + "/reinit/lock", r.lockTtl(), java.time.Duration.ofSeconds(2));
        var patroni = new PatroniCluster(patroniHttp, java.time.Duration.ofSeconds(2), json);
        runner = new ReinitRunner(config.nodeName(), policy, verdicts, patroni, lock, r.followTimeout(), metrics(), clock,
                this::leaderAgentUp);
        runner.start(config.loop().interval());
        LOG.infof("reinit on drift on%s: signals must persist %d loops and %d s (not streaming); cool-down %d s, at most %d per hour",
                r.dryRun() ? " (dry run)" : "", r.loops(), r.notStreamingFor().toSeconds(), r.cooldown().toSeconds(), r.maxPerHour());
    }

    /** The named member's primary verdict as its own agent publishes it; null without one. */
    private Boolean leaderAgentUp(String member) {
        var status = gossip.get().watcher().view().agents().get(member);
        var primary = status == null ? null : status.verdict("primary");
        return primary == null ? null : "up".equals(primary.word());
    }

    private ReinitRunner.Events metrics() {
        AtomicInteger running = new AtomicInteger();
        registry.gauge("pgha_reinit_running", running);
        // Registered up front so alert rules and dashboards see zeros, not missing series.
        java.util.Map<String, Counter> attempts = new java.util.HashMap<>();
        for (String outcome : java.util.List.of("streaming", "timed_out", "failed")) {
            attempts.put(outcome, Counter.builder("pgha_reinit_attempts").tag("outcome", outcome)
                    .description("Reinitialisations of this node by outcome").register(registry));
        }
        return new ReinitRunner.Events() {
            @Override
            public void attempt(String outcome) {
                attempts.get(outcome).increment();
            }

            @Override
            public void running(boolean on) {
                running.set(on ? 1 : 0);
            }
        };
    }

    public Optional<ReinitRunner> runner() {
        return Optional.ofNullable(runner);
    }

    @Override
    public void register(Endpoints on) {
        on.blocking("/reinit", x -> x.json(200, runner()
                .<Map<String, Object>>map(r -> Map.of("enabled", true, "state", r.state()))
                .orElse(Map.of("enabled", false))));
        on.admin(HttpMethod.POST, "/reinit/pause", x -> change(x, ReinitRunner::pause, true));
        on.admin(HttpMethod.POST, "/reinit/resume", x -> change(x, ReinitRunner::resume, false));
    }

    private void change(Exchange x, Consumer<ReinitRunner> action, boolean paused) {
        runner().ifPresentOrElse(r -> {
            action.accept(r);
            x.json(200, Map.of("paused", paused));
        }, () -> x.error(409, "reinit on drift is off (pgha.reinit.enabled=false)"));
    }

    void onStop(@Observes ShutdownEvent event) {
        if (runner != null) {
            runner.close();
        }
    }
}
