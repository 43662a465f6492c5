package io.pgha.agent.maintenance;

/** What a request to enter or leave maintenance did: the HTTP status and a sentence for the log and the caller. */
public record MaintenanceChange(int status, String reason) {
}
