package io.pgha.agent.backup;

import io.pgha.agent.config.AgentConfig;
import io.pgha.agent.health.VerdictStore;
import io.pgha.agent.http.Endpoints;
import io.pgha.agent.http.Routes;
import io.pgha.agent.job.Job;
import io.pgha.agent.job.JobContext;
import io.pgha.agent.json.Json;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.jboss.logging.Logger;

/**
 * Wires the backup feature from configuration: the job exists only when pgha.backup.dir is set. Also the
 * scheduler hooks, the {@code backup} health group and the routes ({@link BackupRoutes}).
 *
 * <p>Why a separate health group ({@code /q/health/group/backup}) and not readiness or liveness: a failed backup
 * must be loud but must not restart the agent (a restart fixes neither a full disk nor a broken dump) nor mark
 * it not ready (its routing answers are still right, and an orchestrator would pull a healthy router).
 */
@Singleton
public class Backups implements Job, Routes {

    private static final Logger LOG = Logger.getLogger(Backups.class);
    /** Connect bound for the SQL facts; queries get 30 s (pg_database_size and the LSN answer in ms). */
    private static final Duration CONNECT = Duration.ofSeconds(5);
    private static final Duration QUERY = Duration.ofSeconds(30);
    /** etcd calls: well below the 10 s lease TTL, so a hung renewal cannot outlive the lease. */
    private static final Duration ETCD_CALL = Duration.ofSeconds(3);

    private final AgentConfig config;
    private final BackupStatus status = new BackupStatus();
    private final Optional<BackupJob> job;
    private final Optional<EtcdRunClaims> claims;

    public Backups(JobContext node, Json json, io.pgha.agent.patroni.PatroniHttp patroniHttp) {
        this.config = node.config();
        VerdictStore verdicts = node.verdicts();
        BackupConfig b = config.backup();
        if (b.dir().isEmpty()) {
            this.job = Optional.empty();
            this.claims = Optional.empty();
            return;
        }
        BackupMetrics metrics = new MicrometerBackupMetrics(node.registry());
        metrics.watch(status);
        EtcdRunClaims etcd = new EtcdRunClaims(node.etcd(), new BackupKeys(config.scope()),
                b.leaseTtl(), ETCD_CALL);
        BackupPolicy policy = new BackupPolicy(new BackupPolicy.Settings(b.allowLeader(), b.delayPerMib(),
                b.leaderDelay(), b.maxLagBytes(), Duration.ofSeconds(10)));
        PrimaryLocator locator = new PrimaryLocator(patroniHttp, ETCD_CALL, json,
                PgTarget.fromJdbcUrl(config.postgres().url(), config.postgres().user()).params());
        this.claims = Optional.of(etcd);
        this.job = Optional.of(new BackupJob(b, policy, new RetentionPolicy(b.keepCount(), b.keepAge()),
                new BackupStore(b.dir().get()), etcd, verdicts, status, metrics, () -> tooling(locator, verdicts),
                config.nodeName(), node.clock()));
    }

    public Optional<BackupJob> job() {
        return job;
    }

    /** The read-only accessor the routes and the health group read. */
    BackupStatus status() {
        return status;
    }

    public String node() {
        return config.nodeName();
    }

    @Override
    public void register(Endpoints on) {
        BackupRoutes.register(on, this);
    }

    @Override
    public String slot() {
        return "backup";
    }

    /** Last good backup, last failure, the drill: nothing before the first run or recovery. */
    @Override
    public Object facts() {
        BackupFacts f = status.facts();
        return f == BackupFacts.NONE ? null : f;
    }

    /** Its settings were checked with the rest at startup (ConfigCheck); off, it says nothing. */
    @Override
    public void start() throws IOException {
        if (job.isPresent()) {
            java.nio.file.Path dir = config.backup().dir().get();
            if (!Files.exists(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            job.get().recover();
            LOG.infof("backups to %s, schedule %s, databases %s", dir,
                    config.backup().schedule().orElse("off (manual only)"), config.backup().databases());
        }
    }

    @Override
    public void stop() {
        job.ifPresent(BackupJob::close);
        claims.ifPresent(EtcdRunClaims::close);
    }

    @Scheduled(identity = "pgha-backup", cron = "${pgha.backup.schedule:off}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void onSchedule(ScheduledExecution execution) {
        job.ifPresent(j -> j.scheduled(execution.getScheduledFireTime()));
    }

    @Scheduled(identity = "pgha-backup-drill", cron = "${pgha.backup.drill-schedule:off}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void onDrillSchedule() throws IOException {
        if (job.isPresent()) {
            Optional<String> newest = job.get().newestDatabaseBackup();
            if (newest.isPresent()) {
                job.get().drill(newest.get());
            }
        }
    }

    @Produces
    @HealthGroup("backup")
    HealthCheck backupHealth() {
        return () -> {
            BackupFacts f = status.facts();
            var r = HealthCheckResponse.named("backup").status(job.isEmpty() || !f.failing());
            r.withData("enabled", job.isPresent());
            if (f.lastGoodAt() != null) {
                r.withData("lastGoodAt", f.lastGoodAt().toString()).withData("lastGoodId", f.lastGoodId());
            }
            if (f.lastFailureAt() != null) {
                r.withData("lastFailureAt", f.lastFailureAt().toString()).withData("lastFailure", f.lastFailure());
            }
            if (f.lastDrillAt() != null) {
                r.withData("lastDrillOk", f.lastDrillOk()).withData("lastDrill", f.lastDrillDetail());
            }
            return r.build();
        };
    }

    private BackupJob.Tooling tooling(PrimaryLocator locator, VerdictStore verdicts) {
        AgentConfig.Postgres pg = config.postgres();
        Optional<String> password = password(pg);
        PgTarget local = PgTarget.fromJdbcUrl(pg.url(), pg.user());
        PgFacts facts = new PgFacts(pg.user(), () -> password, CONNECT, QUERY);
        return new BackupJob.Tooling() {
            @Override
            public PgTools tools(BooleanSupplier lost) {
                Map<String, String> env = new java.util.HashMap<>(local.libpqEnv());
                password.ifPresent(p -> env.put("PGPASSWORD", p));
                return new PgTools(config.backup().binDir(), new ToolRunner(env, lost), config.backup().timeout());
            }

            @Override
            public PgFacts facts() {
                return facts;
            }

            @Override
            public PgTarget local() {
                return local;
            }

            @Override
            public PgTarget primary() throws IOException {
                boolean localPrimary = verdicts.last().map(d -> d.snapshot().postgres())
                        .map(s -> Boolean.FALSE.equals(s.inRecovery())).orElse(false);
                return localPrimary ? local : locator.primary(pg.user());
            }
        };
    }

    /** Read at every run, like PostgresProbe does, so a rotated secret is picked up. */
    private static Optional<String> password(AgentConfig.Postgres pg) {
        if (pg.passwordFile().isPresent()) {
            try {
                return Optional.of(Files.readString(pg.passwordFile().get(), StandardCharsets.UTF_8).strip());
            } catch (IOException e) {
                LOG.errorf("cannot read pgha.postgres.password-file %s: %s", pg.passwordFile().get(), e.getMessage());
            }
        }
        return pg.password();
    }
}
