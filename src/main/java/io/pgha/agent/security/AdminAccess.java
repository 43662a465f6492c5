package io.pgha.agent.security;

/**
 * The decision on one admin request. {@code status} is 0 when the request may proceed, else the HTTP status
 * to refuse it with. {@code reason} is for the agent's log only; it never contains the presented or the
 * configured token, and the 401 sent back carries no body, so a caller learns nothing about why.
 */
public record AdminAccess(int status, String reason) {

    public static final int ALLOWED = 0;

    public boolean allowed() {
        return status == ALLOWED;
    }
}
