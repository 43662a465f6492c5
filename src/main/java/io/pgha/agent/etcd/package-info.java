/**
 * Patroni's keys in etcd, read only (never write Patroni's keys). {@link io.pgha.agent.etcd.KeyLayout} holds
 * the key names in one place; {@link io.pgha.agent.etcd.EtcdLeaderClient} reads the leader key with jetcd and
 * remembers when a read last succeeded, which is what fencing is decided on.
 */
package io.pgha.agent.etcd;
