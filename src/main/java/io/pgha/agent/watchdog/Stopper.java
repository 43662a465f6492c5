package io.pgha.agent.watchdog;

/** Stops this node's PostgreSQL; the seam the runner acts through. */
interface Stopper {

    /** How a stop ended, for the log and the status endpoint. */
    record Stopped(boolean done, String how) {
    }

    Stopped stop();
}
