package io.pgha.agent.reinit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pgha.agent.config.AgentConfig;
import io.pgha.agent.gossip.GossipBeans;
import io.pgha.agent.http.Endpoints;
import io.pgha.agent.http.Exchange;
import io.pgha.agent.http.Routes;
import io.pgha.agent.job.Job;
import io.pgha.agent.job.JobContext;
import io.pgha.agent.job.OnOff;
import io.pgha.agent.json.Json;
import io.pgha.agent.patroni.PatroniCluster;
import io.pgha.agent.patroni.PatroniHttp;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Starts the reinit runner when {@code pgha.reinit.enabled}, on the agent's one jetcd client. {@code GET /reinit}:
 * state, drift seen, last decisions with reasons and attempts; {@code POST /reinit/pause} and {@code /reinit/resume}
 * (admin token). Worker threads: the runner's state is read under its lock.
 */
@Singleton
public class ReinitJob implements Job, Routes {
    private static final Logger LOG = Logger.getLogger(ReinitJob.class);

    private final JobContext node;
    private final Json json;
    private final PatroniHttp patroniHttp;
    /** Looked up when first needed: GossipBeans builds its publisher from the jobs, this one among them. */
    private final Instance<GossipBeans> gossip;
    private final OnOff<ReinitRunner> runner = new OnOff<>("not started yet");

    public ReinitJob(JobContext node, Json json, PatroniHttp patroniHttp, Instance<GossipBeans> gossip) {
        this.node = node;
        this.json = json;
        this.patroniHttp = patroniHttp;
        this.gossip = gossip;
    }

    @Override
    public void start() {
        AgentConfig config = node.config();
        ReinitConfig r = config.reinit();
        if (!r.enabled()) {
            runner.off("pgha.reinit.enabled [PGHA_REINIT_ENABLED] is false");
            LOG.info("reinit on drift off: " + runner.offReason());
            return;
        }
        var thresholds = new DriftTracker.Thresholds(r.loops(), r.notStreamingFor(), r.timelineBehindFor(),
                r.startFailedFor(), r.lagHardFor(), r.lagHardBytes(), r.rewindFailedFor(), r.leftStoppedFor());
        var policy = new ReinitPolicy(new ReinitPolicy.Settings(r.dryRun(), r.cooldown(), r.maxPerHour(),
                r.minHealthyOthers(), thresholds));
        // The lock lives beside the agents' own keys, never inside Patroni's.
        var lock = new ReinitLock(node.etcd(), "/pgha/" + config.scope() + "/reinit/lock", r.lockTtl(), Duration.ofSeconds(2));
        var patroni = new PatroniCluster(patroniHttp, Duration.ofSeconds(2), json);
        runner.on(() -> {
            var started = new ReinitRunner(config.nodeName(), policy, node.verdicts(), patroni, lock, r.followTimeout(),
                    metrics(node.registry()), node.clock(), this::leaderAgentUp);
            started.start(config.loop().interval());
            return started;
        });
        LOG.infof("reinit on drift on%s: signals must persist %d loops and %d s (not streaming); cool-down %d s, at most %d per hour",
                r.dryRun() ? " (dry run)" : "", r.loops(), r.notStreamingFor().toSeconds(), r.cooldown().toSeconds(), r.maxPerHour());
    }

    /** The named member's primary verdict as its own agent publishes it; null without one. */
    private Boolean leaderAgentUp(String member) {
        var status = gossip.get().watcher().view().agents().get(member);
        var primary = status == null ? null : status.verdict("primary");
        return primary == null ? null : "up".equals(primary.word());
    }

    private static ReinitRunner.Events metrics(MeterRegistry registry) {
        AtomicInteger running = new AtomicInteger();
        registry.gauge("pgha_reinit_running", running);
        // Registered up front so alert rules and dashboards see zeros, not missing series.
        Map<String, Counter> attempts = new HashMap<>();
        for (String outcome : List.of("streaming", "timed_out", "failed")) {
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
        return runner.runner();
    }

    @Override
    public void stop() {
        runner.close();
    }

    @Override
    public String slot() {
        return "drift";
    }

    /** Drift and reinit state in this node's published status: what `pgha status` shows as drift. */
    @Override
    public Object facts() {
        return runner().map(r -> {
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
}
