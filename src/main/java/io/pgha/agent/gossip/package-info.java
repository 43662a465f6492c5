/**
 * Status gossip through etcd. Each agent publishes its node's facts (role, lag, agent-check verdicts) as JSON
 * under its own leased key, outside Patroni's keys, and every process watches those keys plus Patroni's
 * leader and member keys into one immutable {@link io.pgha.agent.gossip.ClusterView}. Why: the HAProxy hook
 * and {@code pgha-status} need the whole cluster at once, and asking every agent over HTTP on every change
 * would be slower and would fail with any one node. Garbage in etcd is skipped and counted, never fatal;
 * a lost etcd only stops the gossip, never agent-check (that reads local facts).
 */
package io.pgha.agent.gossip;
