package io.pgha.agent.job;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The thread a runner takes its steps on: one daemon thread (it must never hold the JVM up at shutdown), a fixed
 * delay from the end of one step to the start of the next (a slow step delays the next, never doubles it), and a
 * step that throws is handed to the runner's own handler to log, because an exception escaping a scheduled task
 * cancels its schedule for good and the job would stop without a word.
 */
public final class Loop implements AutoCloseable {

    private final String thread;
    private final Runnable step;
    private final Consumer<RuntimeException> failed;
    private ScheduledExecutorService executor;

    /**
     * @param thread the thread's name, as thread dumps and the log show it ({@code pgha-fast-path})
     * @param failed what the runner does with a step that threw (log it, forget half-gathered facts)
     */
    public Loop(String thread, Runnable step, Consumer<RuntimeException> failed) {
        this.thread = thread;
        this.step = step;
        this.failed = failed;
    }

    /** Starts the steps, the first after {@code first}; while they run, a second start does nothing. */
    public synchronized void start(Duration first, Duration every) {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(daemon(thread));
        executor.scheduleWithFixedDelay(this::safeStep, first.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void safeStep() {
        try {
            step.run();
        } catch (RuntimeException e) {
            failed.accept(e);
        }
    }

    /** Stops the thread, interrupting a step in progress. */
    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    /** Named daemon threads for a runner's other executors (one action at a time, a wait). */
    public static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
