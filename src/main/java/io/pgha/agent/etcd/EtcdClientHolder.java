package io.pgha.agent.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * The agent's ONE jetcd client. Every jetcd 0.8.5 client starts its own Vert.x with non-daemon threads
 * (3 threads, 8-10 MB measured), so the health probe, the gossip publisher and the watcher share this one
 * and it is closed once, on shutdown. Created lazily: jetcd connects lazily too, so building it does no
 * network I/O, but building Vert.x takes a few hundred ms that nobody should pay before they need it.
 */
public final class EtcdClientHolder implements Supplier<Client>, AutoCloseable {

    static final Duration KEEPALIVE_TIME = Duration.ofSeconds(5);
    static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(2);

    private final EtcdAccess access;
    private final AtomicReference<Client> client = new AtomicReference<>();
    private volatile boolean closed;

    /** @param connectTimeout below every caller's own timeout, so a dead endpoint fails inside one call */
    public EtcdClientHolder(List<String> endpoints, Duration connectTimeout) {
        this(EtcdAccess.plain(endpoints, connectTimeout));
    }

    public EtcdClientHolder(EtcdAccess access) {
        this.access = access;
    }

    @Override
    public Client get() {
        Client c = client.get();
        if (c != null) {
            return c;
        }
        if (closed) {
            throw new IllegalStateException("etcd client closed");
        }
        Client created = build(access);
        if (client.compareAndSet(null, created)) {
            return created;
        }
        created.close();
        return client.get();
    }

    public List<String> endpoints() {
        return access.endpoints().stream().map(String::trim).toList();
    }

    /**
     * jetcd's TLS goes through gRPC's Netty SslContext: trust the given CA (or the JVM's), and present the
     * client certificate when etcd runs with --client-cert-auth. Keys must be unencrypted PKCS#8 PEM.
     */
    static Client build(EtcdAccess a) {
        ClientBuilder b = Client.builder()
                .endpoints(a.endpoints().stream().map(String::trim).toArray(String[]::new))
                .connectTimeout(a.connectTimeout())
                // gRPC balances calls round-robin over every member it holds a connection to. A member cut off
                // from the network keeps a connection that looks fine until a keepalive ping goes unanswered:
                // with jetcd's 30 s + 10 s, calls kept timing out for up to 40 s of a one-member outage, and the
                // new leader's agent fenced itself for "etcd unreadable" while two members answered at once; with
                // 5 s + 2 s they stopped about 8 s after the member was cut off (FaultIT's leader-cut).
                // 5 s is the least etcd accepts by default (--grpc-keepalive-min-time); closer pings get the
                // connection closed as too_many_pings.
                .keepaliveTime(KEEPALIVE_TIME)
                .keepaliveTimeout(KEEPALIVE_TIMEOUT);
        if (a.tls()) {
            try {
                b.sslContext(ssl -> {
                    a.caFile().ifPresent(ca -> ssl.trustManager(ca.toFile()));
                    if (a.certFile().isPresent() && a.keyFile().isPresent()) {
                        ssl.keyManager(a.certFile().get().toFile(), a.keyFile().get().toFile());
                    }
                });
            } catch (SSLException e) {
                throw new IllegalStateException("cannot build etcd's TLS context from pgha.etcd.ca-file/cert-file/key-file: "
                        + e.getMessage(), e);
            }
            a.authority().ifPresent(b::authority);
        }
        if (a.user().isPresent()) {
            b.user(ByteSequence.from(a.user().get(), StandardCharsets.UTF_8));
            b.password(ByteSequence.from(a.password().orElse(""), StandardCharsets.UTF_8));
        }
        return b.build();
    }

    @Override
    public void close() {
        closed = true;
        Client c = client.getAndSet(null);
        if (c != null) {
            c.close();
        }
    }
}
