package io.pgha.agent.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.pgha.agent.node.EtcdStatus;
import io.pgha.agent.node.Outcome;
import io.pgha.agent.node.ProbeResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Reads the leader key with jetcd 0.8.5 through the agent's shared {@link EtcdClientHolder} (which owns and
 * closes the client). jetcd retries failed calls internally, so each read is cut by an outer timeout and
 * reported as TIMEOUT.
 */
public final class EtcdLeaderClient implements LeaderReader, AutoCloseable {

    /** The last successful read: kept so one failed read does not erase what the policy fences on. */
    private record LastRead(Optional<String> leader, Instant at) {
    }

    private final List<String> endpoints;
    private final KeyLayout keys;
    private final Duration timeout;
    private final Clock clock;
    private final Supplier<Client> client;
    private final AtomicReference<LastRead> lastRead = new AtomicReference<>();
    private final ExecutorService caller = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "pgha-etcd-probe");
        t.setDaemon(true);
        return t;
    });

    public EtcdLeaderClient(EtcdClientHolder holder, KeyLayout keys, Duration timeout, Clock clock) {
        this.endpoints = holder.endpoints();
        this.client = holder;
        this.keys = keys;
        this.timeout = timeout;
        this.clock = clock;
        // Build now, at startup: creating jetcd's Vert.x takes a few hundred ms, which would otherwise be charged
        // to the first probe and blow its timeout. jetcd connects lazily, so this does no network I/O.
        try {
            holder.get();
        } catch (RuntimeException e) {
            // read() retries and reports the failure as a probe error.
        }
    }

    @Override
    public CompletionStage<EtcdStatus> read() {
        Instant start = clock.instant();
        // The call is started on our own thread: jetcd's first get() blocks its caller for ~0.6 s while it
        // builds the gRPC channel, and the health loop's thread must never wait on anything unbounded.
        CompletableFuture<GetResponse> call = CompletableFuture
                .supplyAsync(this::startGet, caller)
                .thenCompose(f -> f);
        return call.handle((response, error) -> toStatus(response, error, start))
                .completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(status -> {
                    if (status != null) {
                        return status;
                    }
                    call.cancel(true);
                    return failed(Outcome.TIMEOUT, "no answer from " + endpoints, start);
                });
    }

    private CompletableFuture<GetResponse> startGet() {
        return client.get().getKVClient()
                .get(ByteSequence.from(keys.leader(), StandardCharsets.UTF_8))
                .toCompletableFuture();
    }

    private EtcdStatus toStatus(GetResponse response, Throwable error, Instant start) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            return failed(EtcdOutcomes.of(cause), cause.toString(), start);
        }
        Instant now = clock.instant();
        Optional<String> leader = response.getKvs().stream().findFirst()
                .map(KeyValue::getValue).map(v -> v.toString(StandardCharsets.UTF_8));
        lastRead.set(new LastRead(leader, now));
        return new EtcdStatus(ProbeResult.ok(Duration.between(start, now)), keys.leader(), leader, now);
    }

    private EtcdStatus failed(Outcome outcome, String detail, Instant start) {
        LastRead last = lastRead.get();
        ProbeResult probe = ProbeResult.failed(outcome, detail, Duration.between(start, clock.instant()));
        return last == null
                ? new EtcdStatus(probe, keys.leader(), Optional.empty(), null)
                : new EtcdStatus(probe, keys.leader(), last.leader(), last.at());
    }

    /** Stops the calling thread; the shared client is closed by its holder. */
    @Override
    public void close() {
        caller.shutdownNow();
    }
}
