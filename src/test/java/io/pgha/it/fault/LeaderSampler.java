package io.pgha.it.fault;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.GetResponse;
import io.pgha.it.LocalCluster;
import io.pgha.it.fault.FaultChecker.LeaderSample;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Patroni's leader key every 100 ms, by a linearizable read from the host (which reaches every member that is not
 * itself cut off): who etcd says may write. A read that fails (quorum lost) records the holder as unknown.
 */
public final class LeaderSampler implements AutoCloseable {

    private final Client etcd;
    private final ByteSequence key;
    private final List<LeaderSample> samples = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    public LeaderSampler(LocalCluster cluster) {
        this.etcd = Client.builder().endpoints(cluster.env("ETCD_ENDPOINTS").split(",")).build();
        this.key = ByteSequence.from(cluster.env("PGHA_NAMESPACE") + "/" + cluster.env("PGHA_SCOPE") + "/leader",
                StandardCharsets.UTF_8);
        thread = new Thread(this::loop, "leader-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running.get()) {
            long at = System.nanoTime();
            LeaderSample s;
            try {
                GetResponse r = etcd.getKVClient().get(key).get(300, TimeUnit.MILLISECONDS);
                String holder = r.getKvs().isEmpty() ? "" : r.getKvs().get(0).getValue().toString(StandardCharsets.UTF_8).trim();
                s = new LeaderSample(at, holder);
            } catch (Exception e) {
                s = new LeaderSample(at, null);
            }
            synchronized (samples) {
                samples.add(s);
            }
            long sleep = 100 - (System.nanoTime() - at) / 1_000_000;
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    public List<LeaderSample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    @Override
    public void close() {
        running.set(false);
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        etcd.close();
    }
}
