package io.pgha.it.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * One probe every period on its own daemon thread, each result kept with the monotonic time it was taken: the shape
 * of every sampler of the harness. A probe that returns null (the thing sampled did not answer) adds no sample.
 */
final class PeriodicSampler<T> implements AutoCloseable {

    private final List<T> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    /** @param probe takes the sample's {@code System.nanoTime()} and returns the sample, or null for none */
    PeriodicSampler(String name, long periodMs, LongFunction<T> probe) {
        thread = new Thread(() -> loop(periodMs, probe), name);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop(long periodMs, LongFunction<T> probe) {
        while (running) {
            long at = System.nanoTime();
            T s = probe.apply(at);
            if (s != null) {
                synchronized (samples) {
                    samples.add(s);
                }
            }
            long sleep = periodMs - (System.nanoTime() - at) / 1_000_000;
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    List<T> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** Stops the thread (waiting up to 2 s for a probe under way); the samples stay readable. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
