package io.pgha.agent.watchdog;

/**
 * What the watchdog does this check.
 *
 * @param fence  stop this node's PostgreSQL now
 * @param cause  a short word for metrics and the status endpoint
 * @param reason the sentence logged and shown
 */
public record WatchdogDecision(boolean fence, String cause, String reason) {

    static WatchdogDecision keep(String cause, String reason) {
        return new WatchdogDecision(false, cause, reason);
    }

    static WatchdogDecision fence(String cause, String reason) {
        return new WatchdogDecision(true, cause, reason);
    }
}
