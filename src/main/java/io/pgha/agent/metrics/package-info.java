/**
 * Metrics behind one facade, {@link io.pgha.agent.metrics.AgentMetrics}, so policies and probes never import
 * Micrometer and tests can pass {@link io.pgha.agent.metrics.AgentMetrics#NONE}. All names start with
 * {@code pgha_} on /q/metrics.
 */
package io.pgha.agent.metrics;
