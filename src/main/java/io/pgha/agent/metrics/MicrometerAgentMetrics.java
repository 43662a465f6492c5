package io.pgha.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Micrometer behind the facade. Meters are looked up once and cached, because agentReply runs on the
 * agent-check thread for every HAProxy check.
 */
@Singleton
public class MicrometerAgentMetrics implements AgentMetrics {

    private static final List<String> ROLES = List.of("primary", "replica", "unknown");

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Timer> probeTimers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ConcurrentMap<String, Counter>> replies = new ConcurrentHashMap<>();
    private final AtomicReference<String> role = new AtomicReference<>("unknown");
    private final AtomicReference<Double> lagBytes = new AtomicReference<>(Double.NaN);
    private final AtomicReference<Double> lagSeconds = new AtomicReference<>(Double.NaN);

    public MicrometerAgentMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String r : ROLES) {
            Gauge.builder("pgha.role", role, ref -> r.equals(ref.get()) ? 1 : 0)
                    .tag("role", r).description("1 for the role PostgreSQL plays on this node")
                    .register(registry);
        }
        Gauge.builder("pgha.replay.lag.bytes", lagBytes, AtomicReference::get)
                .description("WAL received but not replayed; NaN when unknown").register(registry);
        Gauge.builder("pgha.replay.lag.seconds", lagSeconds, AtomicReference::get)
                .description("now() - last replayed transaction, 0 when caught up").register(registry);
    }

    @Override
    public void probe(String target, Duration took, String outcome) {
        probeTimers.computeIfAbsent(target, t -> Timer.builder("pgha.probe.duration").tag("target", t)
                .description("time one probe of one target took").register(registry)).record(took);
        if (!"ok".equals(outcome)) {
            counters.computeIfAbsent("probe|" + target + "|" + outcome, k ->
                    Counter.builder("pgha.probe.errors").tag("target", target).tag("outcome", outcome)
                            .description("failed probes by target and kind").register(registry)).increment();
        }
    }

    @Override
    public void snapshot(String role, Long lagBytes, Duration lag) {
        this.role.set(ROLES.contains(role) ? role : "unknown");
        this.lagBytes.set(lagBytes == null ? Double.NaN : lagBytes.doubleValue());
        this.lagSeconds.set(lag == null ? Double.NaN : lag.toMillis() / 1000.0);
    }

    @Override
    public void watchSnapshotAge(Supplier<Duration> age) {
        // strongReference: Micrometer holds gauge state weakly, and a method reference has no other owner, so
        // without it the gauge reads NaN after the first GC.
        Gauge.builder("pgha.snapshot.age.seconds", age, a -> a.get().toMillis() / 1000.0)
                .strongReference(true)
                .description("age of the snapshot the current verdicts come from").register(registry);
    }

    @Override
    public void agentReply(String role, String word) {
        // Two plain lookups, no key string: this runs on every HAProxy check and should not allocate.
        Map<String, Counter> byWord = replies.get(role);
        Counter c = byWord == null ? null : byWord.get(word);
        if (c == null) {
            c = replies.computeIfAbsent(role, r -> new ConcurrentHashMap<>()).computeIfAbsent(word, w ->
                    Counter.builder("pgha.agent.check.replies").tag("role", role).tag("word", word)
                            .description("agent-check replies by asked role and answered word")
                            .register(registry));
        }
        c.increment();
    }

    @Override
    public void gossip(String what, String outcome) {
        counters.computeIfAbsent("gossip|" + what + "|" + outcome, k ->
                Counter.builder("pgha.gossip.events").tag("what", what).tag("outcome", outcome)
                        .description("gossip publishes, watch events, resyncs and skipped values by outcome")
                        .register(registry)).increment();
    }

    @Override
    public void hook(String kind, String outcome) {
        counters.computeIfAbsent("hook|" + kind + "|" + outcome, k ->
                Counter.builder("pgha.hook.actions").tag("kind", kind).tag("outcome", outcome)
                        .description("HAProxy hook actions (runtime API pushes, renders, commands) by outcome")
                        .register(registry)).increment();
    }
}
