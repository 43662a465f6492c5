/**
 * The leader watchdog: the agent does for a hung Patroni what Patroni's own watchdog (/dev/watchdog, absent on most
 * VMs) would do. Patroni renews the leader key's lease on every HA loop; a Patroni that is frozen, or whose loop is
 * stuck, stops renewing it, and once the key expires another member is promoted while this node's PostgreSQL still
 * takes writes. Before that can happen, the watchdog stops the local PostgreSQL (an immediate shutdown, as a
 * hardware watchdog's reset would stop it too), so the old and the new leader are never both read-write.
 * {@link io.pgha.agent.watchdog.WatchdogPolicy} decides from the lease's remaining time as etcd reports it; the
 * runner reads it, stops the postmaster it verified by its PID file, and decides nothing. Off by default.
 */
package io.pgha.agent.watchdog;
