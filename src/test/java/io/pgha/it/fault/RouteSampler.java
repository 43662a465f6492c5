package io.pgha.it.fault;

import io.pgha.agent.hook.RuntimeApiClient;
import io.pgha.agent.hook.ServerState;
import io.pgha.it.fault.FaultChecker.RouteSample;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * HAProxy's {@code show servers state} every 100 ms over its admin socket: which servers backend primary routes new
 * connections to (UP, not in maint or drain, weight above 0).
 */
public final class RouteSampler implements AutoCloseable {

    private final RuntimeApiClient api;
    private final PeriodicSampler<RouteSample> sampler;

    public RouteSampler(Path adminSocket) {
        this.api = new RuntimeApiClient(adminSocket, Duration.ofMillis(500));
        this.sampler = new PeriodicSampler<>("route-sampler", 100, this::read);
    }

    private RouteSample read(long at) {
        try {
            List<String> up = new ArrayList<>();
            for (ServerState s : ServerState.parse(api.showServersState())) {
                if (s.backend().equals("primary") && s.up() && s.adminState() == 0 && s.userWeight() > 0) {
                    up.add(s.server());
                }
            }
            return new RouteSample(at, List.copyOf(up));
        } catch (IOException | RuntimeException e) {
            return null; // HAProxy restarting: no sample
        }
    }

    public List<RouteSample> samples() {
        return sampler.samples();
    }

    @Override
    public void close() {
        sampler.close();
        api.close();
    }
}
