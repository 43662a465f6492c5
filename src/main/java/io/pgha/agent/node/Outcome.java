package io.pgha.agent.node;

/**
 * How a probe ended. REFUSED and TIMEOUT are kept apart on purpose: a refused connection means the process is
 * gone, a timeout means it may be hung but alive, and later features (fencing, restarts) treat them differently.
 */
public enum Outcome {
    OK, REFUSED, TIMEOUT, ERROR
}
