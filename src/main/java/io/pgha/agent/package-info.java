/**
 * The pgha agent: one process per node beside etcd and Patroni. Each responsibility lives in its own
 * package (config, node, health, haproxy, patroni, etcd, backup, reinit, metrics); the pure decision
 * classes ({@code *Policy}) never do I/O, so they can be tested by table without a cluster.
 */
package io.pgha.agent;
