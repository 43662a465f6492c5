package io.pgha.it.fault;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.GetResponse;
import io.pgha.it.LocalCluster;
import io.pgha.it.fault.FaultChecker.LeaderSample;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Patroni's leader key every 100 ms, by a linearizable read from the host (which reaches every member that is not
 * itself cut off): who etcd says may write. A read that fails (quorum lost) records the holder as unknown.
 */
public final class LeaderSampler implements AutoCloseable {

    private final Client etcd;
    private final ByteSequence key;
    private final PeriodicSampler<LeaderSample> sampler;

    public LeaderSampler(LocalCluster cluster) {
        this.etcd = Client.builder().endpoints(cluster.env("ETCD_ENDPOINTS").split(",")).build();
        this.key = ByteSequence.from(cluster.env("PGHA_NAMESPACE") + "/" + cluster.env("PGHA_SCOPE") + "/leader",
                StandardCharsets.UTF_8);
        this.sampler = new PeriodicSampler<>("leader-sampler", 100, this::read);
    }

    private LeaderSample read(long at) {
        try {
            GetResponse r = etcd.getKVClient().get(key).get(300, TimeUnit.MILLISECONDS);
            return new LeaderSample(at, r.getKvs().isEmpty() ? ""
                    : r.getKvs().get(0).getValue().toString(StandardCharsets.UTF_8).trim());
        } catch (Exception e) {
            return new LeaderSample(at, null);
        }
    }

    public List<LeaderSample> samples() {
        return sampler.samples();
    }

    @Override
    public void close() {
        sampler.close();
        etcd.close();
    }
}
