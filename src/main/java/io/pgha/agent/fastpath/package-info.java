/**
 * The crash fast path: when this node holds Patroni's leader key but its Patroni and PostgreSQL are
 * both provably dead (an OOM kill, a crash, a kill -9), release the key at once instead of leaving
 * the cluster without a writer until the key's TTL runs out.
 *
 * <p>The safety argument lives in {@link io.pgha.agent.fastpath.LeaderGonePolicy}: the key is released
 * only on positive evidence of death (refused connections, no process, no live postmaster), never on
 * silence (a timeout), over consecutive checks, and with an etcd transaction that touches the key only
 * if it is still the exact revision this node was seen holding.
 */
package io.pgha.agent.fastpath;
