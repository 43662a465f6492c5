package io.pgha.it.fault;

import io.pgha.it.LocalCluster;
import io.pgha.it.fault.FaultChecker.Rw;
import io.pgha.it.fault.FaultChecker.RwSample;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One {@code pgha-local sample-rw N} per node, each inside its node's namespace (a node cut off from the bridge
 * still reaches its own address), read line by line. Closing ends them: their stdin closes and they exit.
 */
public final class RwSamplers implements AutoCloseable {

    private final List<Process> processes = new ArrayList<>();
    private final List<RwSample> samples = new ArrayList<>();
    private final int periodMillis;

    private final Map<String, String> env;

    public RwSamplers(LocalCluster cluster, Map<String, String> env, int periodMillis) {
        this.periodMillis = periodMillis;
        this.env = env;
        for (int n = 1; n <= 3; n++) {
            add(n);
        }
    }

    /** Samples one more node from now on (node 4 once add-node made it; its samples say down after it left). */
    public void add(int node) {
        ProcessBuilder pb = new ProcessBuilder(LocalCluster.script().toString(), "sample-rw", String.valueOf(node),
                String.valueOf(periodMillis)).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            synchronized (processes) {
                processes.add(p);
            }
            Thread t = new Thread(() -> read(p, node), "rw-sampler-" + node);
            t.setDaemon(true);
            t.start();
        } catch (IOException e) {
            close();
            throw new IllegalStateException("cannot start pgha-local sample-rw " + node, e);
        }
    }

    private void read(Process p, int node) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.trim().split(" ");
                if (f.length != 2) {
                    continue;
                }
                Rw state = switch (f[1]) {
                    case "rw" -> Rw.RW;
                    case "ro" -> Rw.RO;
                    default -> Rw.DOWN;
                };
                synchronized (samples) {
                    samples.add(new RwSample(Long.parseLong(f[0]), node, state));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the sampler ended
        }
    }

    public List<RwSample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    public long periodNanos() {
        return periodMillis * 1_000_000L;
    }

    /** Whether nodes 1-3 have each been sampled at least once (the samplers are up). */
    public boolean allReporting() {
        List<RwSample> s = samples();
        return s.stream().map(RwSample::node).filter(n -> n <= 3).distinct().count() == 3;
    }

    @Override
    public void close() {
        List<Process> all;
        synchronized (processes) {
            all = List.copyOf(processes);
        }
        for (Process p : all) {
            try {
                p.getOutputStream().close();
            } catch (IOException e) {
                // already gone
            }
            p.destroy();
        }
        for (Process p : all) {
            try {
                if (!p.waitFor(3, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
