package io.pgha.it.fault;

import io.pgha.agent.hook.RuntimeApiClient;
import io.pgha.agent.hook.ServerState;
import io.pgha.it.fault.FaultChecker.RouteSample;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * HAProxy's {@code show servers state} every 100 ms over its admin socket: which servers backend primary routes new
 * connections to (UP, not in maint or drain, weight above 0).
 */
public final class RouteSampler implements AutoCloseable {

    private final RuntimeApiClient api;
    private final List<RouteSample> samples = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    public RouteSampler(Path adminSocket) {
        this.api = new RuntimeApiClient(adminSocket, Duration.ofMillis(500));
        thread = new Thread(this::loop, "route-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running.get()) {
            long at = System.nanoTime();
            try {
                List<String> up = new ArrayList<>();
                for (ServerState s : ServerState.parse(api.showServersState())) {
                    if (s.backend().equals("primary") && s.up() && s.adminState() == 0 && s.userWeight() > 0) {
                        up.add(s.server());
                    }
                }
                synchronized (samples) {
                    samples.add(new RouteSample(at, List.copyOf(up)));
                }
            } catch (IOException | RuntimeException e) {
                // HAProxy restarting: no sample
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

    public List<RouteSample> samples() {
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
        api.close();
    }
}
