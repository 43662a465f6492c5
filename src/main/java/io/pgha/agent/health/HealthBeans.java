package io.pgha.agent.health;

import io.pgha.agent.config.AgentConfig;
import io.pgha.agent.etcd.EtcdClientHolder;
import io.pgha.agent.etcd.KeyLayout;
import io.pgha.agent.http.Routes;
import io.pgha.agent.json.Json;
import io.pgha.agent.patroni.PatroniHttp;
import io.pgha.agent.patroni.PatroniRestClient;
import io.pgha.agent.patroni.PatroniTls;
import io.vertx.core.Vertx;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Builds the I/O clients from configuration, each bounded by pgha.loop.probe-timeout, and closes the ones
 * that own threads or sockets on shutdown (jetcd's Vert.x threads are non-daemon and would keep the JVM up).
 */
public class HealthBeans {

    @Produces
    @Singleton
    HealthPolicy policy(AgentConfig config) {
        return new HealthPolicy(HealthSettings.from(config));
    }

    @Produces
    @Singleton
    VerdictStore store(HealthPolicy policy, Clock clock) {
        return new VerdictStore(policy, clock);
    }

    /** GET /status and the Patroni-style checks, from the same cached verdicts as the agent-check port. */
    @Produces
    @Singleton
    Routes statusRoutes(VerdictStore store) {
        return on -> StatusRoutes.register(on, store);
    }

    @Produces
    @Singleton
    KeyLayout keys(AgentConfig config) {
        return new KeyLayout(config.namespace(), config.scope());
    }

    /** The one HTTP client to Patroni (probe, /cluster, reinitialize, the backup's leader lookup). */
    @Produces
    @Singleton
    PatroniHttp patroniHttp(AgentConfig config, Vertx vertx) {
        return new PatroniHttp(vertx, config.patroni().url(), PatroniTls.from(config.patroni().caFile()),
                config.loop().probeTimeout());
    }

    @Produces
    @Singleton
    PatroniRestClient patroni(AgentConfig config, PatroniHttp http, Json json, Clock clock) {
        return new PatroniRestClient(http, config.loop().probeTimeout(), json, clock);
    }

    /** The one jetcd client of the process (each client starts its own Vert.x); see EtcdClientHolder. */
    @Produces
    @Singleton
    EtcdClientHolder etcdClient(AgentConfig config) {
        return new EtcdClientHolder(io.pgha.agent.etcd.EtcdAccess.from(config.etcd(), config.loop().probeTimeout()));
    }

    void closeEtcdClient(@Disposes EtcdClientHolder holder) {
        holder.close();
    }

    @Produces
    @Singleton
    PostgresProbe postgres(AgentConfig config, Clock clock) {
        AgentConfig.Postgres pg = config.postgres();
        return new PostgresProbe(pg.url(), pg.user(), pg.password(), pg.passwordFile(),
                config.loop().probeTimeout(), clock);
    }

    void closePostgres(@Disposes PostgresProbe postgres) {
        postgres.close();
    }
}
