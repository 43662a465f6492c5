package io.pgha.agent.etcd;

import io.etcd.jetcd.Client;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The agent's ONE jetcd client. Every jetcd 0.8.5 client starts its own Vert.x with non-daemon threads
 * (3 threads, 8-10 MB measured), so the health probe, the gossip publisher and the watcher share this one
 * and it is closed once, on shutdown. Created lazily: jetcd connects lazily too, so building it does no
 * network I/O, but building Vert.x takes a few hundred ms that nobody should pay before they need it.
 */
public final class EtcdClientHolder implements Supplier<Client>, AutoCloseable {

    private final List<String> endpoints;
    private final Duration connectTimeout;
    private final AtomicReference<Client> client = new AtomicReference<>();
    private volatile boolean closed;

    /** @param connectTimeout below every caller's own timeout, so a dead endpoint fails inside one call */
    public EtcdClientHolder(List<String> endpoints, Duration connectTimeout) {
        this.endpoints = endpoints.stream().map(String::trim).toList();
        this.connectTimeout = connectTimeout;
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
        Client created = Client.builder()
                .endpoints(endpoints.toArray(String[]::new))
                .connectTimeout(connectTimeout)
                .build();
        if (client.compareAndSet(null, created)) {
            return created;
        }
        created.close();
        return client.get();
    }

    public List<String> endpoints() {
        return endpoints;
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
