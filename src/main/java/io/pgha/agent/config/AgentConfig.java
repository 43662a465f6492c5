package io.pgha.agent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every {@code pgha.*} setting. The env names (PGHA_NODE_NAME, PGHA_ETCD_ENDPOINTS, ...) follow from the
 * property names by MicroProfile's rules and are already used by the local cluster and compose files, so the
 * names here must not change. {@link ConfigCheck} validates the values at startup.
 */
@ConfigMapping(prefix = "pgha")
public interface AgentConfig {

    /** Patroni member name of this node; compared with the value of the etcd leader key. */
    String nodeName();

    @WithDefault("postgres-ha")
    String scope();

    /** Patroni's etcd namespace; the leader key is {@code <namespace>/<scope>/leader}. */
    @WithDefault("/service")
    String namespace();

    Patroni patroni();

    Postgres postgres();

    Etcd etcd();

    AgentCheck agentCheck();

    Loop loop();

    Lag lag();

    Maintenance maintenance();

    io.pgha.agent.fastpath.FastPathConfig fastPath();

    io.pgha.agent.reinit.ReinitConfig reinit();

    io.pgha.agent.watchdog.WatchdogConfig watchdog();

    /** agent (default: health loop, agent-check, gossip) or hook (beside HAProxy: watches and pushes). */
    @WithDefault("agent")
    String mode();

    io.pgha.agent.gossip.GossipConfig gossip();

    io.pgha.agent.hook.HookConfig hook();

    io.pgha.agent.security.AdminConfig admin();

    io.pgha.agent.backup.BackupConfig backup();

    interface Patroni {
        @WithDefault("http://127.0.0.1:8008")
        String url();

        /**
         * PEM CA bundle that signed Patroni's REST certificate (restapi.certfile), for an https URL. Without it
         * an https URL is checked against the JVM's default trust store. The host name (or IP) in the URL must
         * be in the certificate.
         */
        Optional<Path> caFile();
    }

    interface Postgres {
        @WithDefault("jdbc:postgresql://127.0.0.1:5432/postgres")
        String url();

        @WithDefault("postgres")
        String user();

        Optional<String> password();

        /** Wins over {@link #password()}; read at every connect so a rotated secret is picked up. */
        Optional<Path> passwordFile();
    }

    interface Etcd {
        @WithDefault("http://127.0.0.1:2379")
        List<String> endpoints();

        /**
         * How long a node that believes it is primary keeps answering {@code up} while etcd cannot be read.
         * Longer risks routing writes to a fenced-off old primary; shorter turns an etcd blip into an outage.
         */
        @WithDefault("5s")
        Duration maxUnreadable();

        /** PEM CA bundle for https endpoints; without it the JVM's default trust store is used. */
        Optional<Path> caFile();

        /** PEM client certificate for etcd's --client-cert-auth; needs {@link #keyFile()}. */
        Optional<Path> certFile();

        /** Unencrypted PKCS#8 PEM key of {@link #certFile()} (openssl genpkey writes this form). */
        Optional<Path> keyFile();

        /**
         * Name checked in the etcd server certificates instead of each endpoint's own address: for
         * certificates issued to a DNS name while the endpoints are IPs. Without it each member's certificate
         * must carry the address the agent uses for it (measured: with only IP SANs and no authority, the
         * agent read etcd through every member in turn as the others were stopped).
         */
        Optional<String> authority();

        /** etcd user (etcd's auth enabled); with {@link #password()} or {@link #passwordFile()}. */
        Optional<String> user();

        Optional<String> password();

        /** Wins over {@link #password()}. */
        Optional<Path> passwordFile();
    }

    interface AgentCheck {
        @WithDefault("5480")
        int port();

        @WithDefault("0.0.0.0")
        String host();

        /** How long to wait for HAProxy's agent-send line before answering for role {@code any}. */
        @WithDefault("100ms")
        Duration readTimeout();
    }

    interface Loop {
        @WithDefault("1s")
        Duration interval();

        /**
         * Bound on each probe (PostgreSQL, Patroni, etcd). The probes run in parallel, so a cycle takes at most
         * about one probe timeout; it must stay below the interval (checked at startup).
         */
        @WithDefault("500ms")
        Duration probeTimeout();
    }

    interface Lag {
        /** Below this replay lag a replica gets full weight; between this and soft the weight falls. */
        @WithDefault("1048576")
        long weightStartBytes();

        /** Above this the replica is drained (no new connections). */
        @WithDefault("16777216")
        long softBytes();

        /** Above this the replica is marked down. */
        @WithDefault("67108864")
        long hardBytes();

        @WithDefault("10s")
        Duration softSeconds();

        @WithDefault("30s")
        Duration hardSeconds();

        /**
         * How long a replica that was streaming stays {@code up} while its WAL receiver reconnects: a leader change
         * restarts every receiver for 1-4 s, and marking all replicas down for that cuts every read session.
         * Its reads are at most this much older than the last WAL it received.
         */
        @WithDefault("10s")
        Duration reconnectGrace();
    }

    interface Maintenance {
        /** What the agent answers while the flag file exists: {@code maint} or {@code drain}. */
        @WithDefault("maint")
        String mode();

        /** Touch this file to put the node in maintenance, remove it to end maintenance. */
        @WithName("flag-file")
        Optional<Path> flagFile();
    }
}
