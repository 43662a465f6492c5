package io.pgha.agent.backup;

import io.pgha.agent.health.VerdictStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The backup feature's shell: one thread, so one long action (run or drill) at a time on this node, and a
 * second request is refused with the reason rather than queued (Patroni's AsyncExecutor). Scheduled runs ask
 * {@link BackupPolicy} whether and when to claim, claim in etcd, run, record; every outcome lands in
 * {@link BackupStatus}, and every failure is logged at ERROR with its cause.
 */
public final class BackupJob implements AutoCloseable {

    /** What a trigger got: accepted (with the future result) or refused with a reason. */
    public record Submitted(boolean accepted, String reason, CompletableFuture<Result> result) {
    }

    /** How an action ended: {@code ok}, {@code failed} (loud) or {@code refused} (nothing was attempted). */
    public record Result(String outcome, String message) {
        public boolean ok() {
            return "ok".equals(outcome);
        }
    }

    private static final Logger LOG = Logger.getLogger(BackupJob.class);

    private final BackupConfig config;
    private final BackupPolicy policy;
    private final RetentionPolicy retention;
    private final BackupStore store;
    private final RunClaims claims;
    private final VerdictStore verdicts;
    private final BackupStatus status;
    private final BackupMetrics metrics;
    private final Supplier<Tooling> tooling;
    private final String node;
    private final Clock clock;
    private final AtomicReference<String> busy = new AtomicReference<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "pgha-backup");
        t.setDaemon(true);
        return t;
    });

    /** Per-run I/O, built fresh so a rotated password is picked up; {@code lost} aborts the tools. */
    public interface Tooling {
        PgTools tools(java.util.function.BooleanSupplier lost);

        PgFacts facts();

        PgTarget local();

        PgTarget primary() throws IOException;
    }

    public BackupJob(BackupConfig config, BackupPolicy policy, RetentionPolicy retention, BackupStore store,
            RunClaims claims, VerdictStore verdicts, BackupStatus status, BackupMetrics metrics,
            Supplier<Tooling> tooling, String node, Clock clock) {
        this.config = config;
        this.policy = policy;
        this.retention = retention;
        this.store = store;
        this.claims = claims;
        this.verdicts = verdicts;
        this.status = status;
        this.metrics = metrics;
        this.tooling = tooling;
        this.node = node;
        this.clock = clock;
    }

    /** At startup: clear what a killed run left and recover the last good backup from the manifests. */
    public void recover() throws IOException {
        List<String> swept = store.sweepPartials();
        if (!swept.isEmpty()) {
            LOG.warnf("removed %d partial file(s) left by an interrupted run: %s", swept.size(), swept);
        }
        good().stream().reduce((a, b) -> b)
                .ifPresent(m -> status.update(f -> f.good(m.endedAt(), m.id())));
    }

    /** Good manifests of this node, oldest first. */
    public List<BackupManifest> good() throws IOException {
        return store.list().stream().filter(BackupStore.Listed::complete)
                .flatMap(l -> l.parsed().manifest().stream()).filter(BackupManifest::good)
                .sorted(java.util.Comparator.comparing(BackupManifest::endedAt)).toList();
    }

    public List<BackupStore.Listed> list() throws IOException {
        return store.list();
    }

    public Submitted scheduled(Instant fireTime) {
        String runKey = fireTime.toString();
        return submit("scheduled run " + runKey, () -> scheduledRun(runKey));
    }

    public Submitted manual() {
        return submit("manual run", () -> {
            try (RunClaims.Claim claim = claims.lock(node)) {
                if (!claim.won()) {
                    return refuse("manual run refused: " + claim.reason());
                }
                return runAndRecord("manual run", claim);
            } catch (RunClaims.ClaimException e) {
                return fail("manual run: cannot take the backup lock in etcd: " + e.getMessage());
            }
        });
    }

    public Submitted drill(String id) {
        return submit("drill of " + id, () -> drillNow(id));
    }

    /** The newest good database backup here, for the scheduled drill. */
    public Optional<String> newestDatabaseBackup() throws IOException {
        return good().stream().filter(m -> "database".equals(m.kind())).reduce((a, b) -> b).map(BackupManifest::id);
    }

    private Submitted submit(String what, java.util.concurrent.Callable<Result> action) {
        if (!busy.compareAndSet(null, what)) {
            Result r = refuse(what + " refused: " + busy.get() + " is in progress on this node");
            return new Submitted(false, r.message(), CompletableFuture.completedFuture(r));
        }
        status.update(f -> f.running(what));
        CompletableFuture<Result> result = new CompletableFuture<>();
        try {
            worker.execute(() -> {
                try {
                    result.complete(action.call());
                } catch (Exception | Error e) {
                    result.complete(fail(what + " crashed: " + e));
                } finally {
                    busy.set(null);
                    status.update(f -> f.running(null));
                }
            });
        } catch (RejectedExecutionException e) {
            busy.set(null);
            Result r = refuse(what + " refused: the agent is shutting down");
            return new Submitted(false, r.message(), CompletableFuture.completedFuture(r));
        }
        return new Submitted(true, what + " started", result);
    }

    private Result scheduledRun(String runKey) throws Exception {
        BackupPolicy.RunnerDecision d = decide();
        if (d.candidate() && !d.delay().isZero()) {
            try {
                Thread.sleep(d.delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return refuse("run " + runKey + ": not claimed, the agent is shutting down");
            }
            // Re-judge after the wait: a replica that fell behind or stopped streaming meanwhile steps aside.
            d = decide();
        }
        if (!d.candidate()) {
            return new Result("refused", "run " + runKey + ": " + d.reason());
        }
        try (RunClaims.Claim claim = claims.claimRun(runKey, node)) {
            if (!claim.won()) {
                return refuse("run " + runKey + ": not running here, " + claim.reason());
            }
            return runAndRecord("scheduled run " + runKey, claim);
        } catch (RunClaims.ClaimException e) {
            return fail("run " + runKey + ": cannot claim it in etcd: " + e.getMessage());
        }
    }

    private BackupPolicy.RunnerDecision decide() {
        BackupPolicy.RunnerDecision d = policy.runner(verdicts.last().map(VerdictStore.Decision::snapshot),
                clock.instant());
        if (!d.reason().equals(status.facts().lastDecision())) {
            LOG.infof("backup candidate: %s", d.reason());
        }
        status.update(f -> f.decided(d.reason()));
        return d;
    }

    private Result runAndRecord(String what, RunClaims.Claim claim) {
        Tooling t = tooling.get();
        BackupRun run = new BackupRun(config, policy, store, t.tools(claim::lost), t.facts(), t.local(), node, metrics,
                clock, claim::lost, what);
        BackupRun.Outcome outcome = run.execute();
        claim.done(outcome.ok());
        for (BackupManifest m : outcome.made()) {
            status.update(f -> f.good(m.endedAt(), m.id()));
        }
        applyRetention();
        if (!outcome.ok()) {
            StringBuilder causes = new StringBuilder();
            for (BackupRun.Failure f : outcome.failures()) {
                causes.append(causes.length() == 0 ? "" : "; ").append(f.database()).append(" (").append(f.kind())
                        .append("): ").append(f.cause());
            }
            return fail(what + " failed: " + causes);
        }
        return new Result("ok", what + " done: " + outcome.made().stream().map(BackupManifest::id).toList());
    }

    private void applyRetention() {
        try {
            List<BackupStore.Listed> listed = store.list();
            List<BackupManifest> all = listed.stream().flatMap(l -> l.parsed().manifest().stream()).toList();
            List<RetentionPolicy.Entry> entries = listed.stream().filter(l -> l.parsed().manifest().isPresent())
                    .map(l -> {
                        BackupManifest m = l.parsed().manifest().get();
                        return new RetentionPolicy.Entry(m.id(), m.database(), m.endedAt(), m.good() && l.complete());
                    }).toList();
            RetentionPolicy.Retention r = retention.decide(entries, clock.instant());
            if (!r.delete().isEmpty()) {
                LOG.infof("retention: %s", r.reason());
            }
            for (BackupManifest m : all) {
                if (r.delete().contains(m.id())) {
                    store.delete(m);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.errorf("retention failed, no backup deleted after the error: %s", e.toString());
        }
    }

    private Result drillNow(String id) throws IOException {
        Optional<BackupManifest> found = good().stream().filter(m -> m.id().equals(id)).findFirst();
        if (found.isEmpty() || !"database".equals(found.get().kind())) {
            return refuse("drill of " + id + " refused: no good database backup with that id on " + node);
        }
        Tooling t = tooling.get();
        PgTarget primary = t.primary();
        RestoreDrill drill = new RestoreDrill(store, t.tools(() -> false),
                t.facts().withQueryTimeout(config.timeout()), clock, config.jobs());
        BackupManifest.Drill d = drill.run(found.get(), primary);
        store.writeManifest(found.get().withDrill(d));
        metrics.drill(d.ok(), java.time.Duration.ofMillis(d.millis()));
        status.update(f -> f.drill(d.at(), d.ok(), d.detail()));
        if (!d.ok()) {
            LOG.errorf("drill of %s failed: %s", id, d.detail());
            return new Result("failed", "drill of " + id + " failed: " + d.detail());
        }
        LOG.infof("drill of %s ok: %s in %d ms", id, d.detail(), d.millis());
        return new Result("ok", "drill of " + id + " ok: " + d.detail());
    }

    /** A backup that should have happened and did not: ERROR log, the health group and the gossip see it. */
    private Result fail(String why) {
        LOG.error(why);
        status.update(f -> f.failed(clock.instant(), why));
        return new Result("failed", why);
    }

    /** Nothing was attempted (busy, claimed elsewhere, not a candidate): not a failure. */
    private static Result refuse(String why) {
        LOG.info(why);
        return new Result("refused", why);
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
