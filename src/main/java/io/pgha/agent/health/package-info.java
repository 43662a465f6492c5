/**
 * Deciding what HAProxy should do with this node. {@link io.pgha.agent.health.HealthPolicy} is pure: a
 * {@link io.pgha.agent.node.NodeSnapshot} and a time in, {@link io.pgha.agent.health.Verdicts} with a reason
 * sentence each out. {@link io.pgha.agent.health.HealthLoop} is the shell that gathers the snapshot once per
 * interval, and {@link io.pgha.agent.health.VerdictStore} is the cache every reader (agent-check, HTTP)
 * consults; it fails closed when the last verdict is stale.
 */
package io.pgha.agent.health;
