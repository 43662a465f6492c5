/**
 * Who may change things over HTTP. Reading endpoints (/status, /primary, /q/health, /q/metrics) stay open
 * because HAProxy and monitoring must reach them without secrets; every route that changes something runs
 * {@link io.pgha.agent.security.AdminGate} first and needs {@code Authorization: Bearer <admin token>}.
 *
 * <p>{@link io.pgha.agent.security.AdminAccessPolicy} is the pure decision (header and configured token in, a
 * decision with a reason out); {@link io.pgha.agent.security.AdminTokenSource} reads the token from config or
 * its file; {@link io.pgha.agent.security.AdminGate} applies the decision. The token is compared as
 * SHA-256 digests with {@link java.security.MessageDigest#isEqual}, so neither its content nor its length
 * leaks through timing, and it is never logged. Without a configured token the admin endpoints are refused
 * (fail closed), never open.
 */
package io.pgha.agent.security;
