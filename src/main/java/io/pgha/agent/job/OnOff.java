package io.pgha.agent.job;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * A job's runner while it runs, or the one line that says why it does not: what a job's bean keeps. Closed at
 * shutdown, it stops the runner and turns a later {@link #on} into nothing, so a start that was still waiting (the
 * fast path waits for its data directory) cannot outlive the agent's shutdown.
 */
public final class OnOff<R extends Runner> {

    private volatile R runner;
    private volatile String off;
    private boolean closed;

    /** @param off why the job does not run yet, until it starts or says otherwise */
    public OnOff(String off) {
        this.off = off;
    }

    /** The job stays off, for this reason. */
    public void off(String why) {
        off = why;
    }

    /** Builds and starts the runner unless closed already; whether it did. */
    public synchronized boolean on(Supplier<R> started) {
        if (closed) {
            return false;
        }
        runner = started.get();
        off = "";
        return true;
    }

    public Optional<R> runner() {
        return Optional.ofNullable(runner);
    }

    /** Empty while the runner runs; otherwise the one-line reason it does not. */
    public String offReason() {
        return off;
    }

    public synchronized void close() {
        closed = true;
        if (runner != null) {
            runner.close();
        }
    }
}
