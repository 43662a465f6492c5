package io.pgha.agent.hook;

/**
 * One runtime-API command with why it is sent.
 *
 * @param kind a short stable key for metrics (health-up, health-down, shutdown-sessions, ready, weight)
 */
public record HookAction(String command, String kind, String reason) {
}
