/**
 * The fault harness: a writer through HAProxy 5000, a sampler of every node's {@code pg_is_in_recovery()} run
 * inside that node's namespace (so a node cut off is still seen), HAProxy's server states, and a pure checker that
 * turns what they recorded into the figures a fault is judged by: acknowledged writes lost, write outage, how long
 * the old leader stayed read-write, time with two nodes read-write, writes acknowledged by two nodes in
 * overlapping time, and how long HAProxy routed writes to two servers.
 */
package io.pgha.it.fault;
