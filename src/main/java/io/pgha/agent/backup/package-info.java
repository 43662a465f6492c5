/**
 * Logical backups (pg_dump of the configured databases plus {@code pg_dumpall --globals-only}) taken on
 * exactly one node per scheduled run, verified, restorable and loud when they fail.
 *
 * <p>Why it looks like this: backups that fail silently, hang, overlap or fight over locks are the usual
 * complaints about HA kits (spilo#861, #563, cloudnative-pg#10778). So every run is claimed in etcd with a
 * key per scheduled instant bound to a lease (a dead runner frees it), every tool call has a timeout, a file
 * counts as a backup only once its manifest says it was verified, and a failure is logged with pg_dump's own
 * words, counted, shown in the {@code backup} health group and kept for the gossip.
 *
 * <p>Pure decisions: {@link io.pgha.agent.backup.BackupPolicy} (who runs, and whether there is room) and
 * {@link io.pgha.agent.backup.RetentionPolicy} (what may be deleted). I/O that decides nothing:
 * {@link io.pgha.agent.backup.PgTools}, {@link io.pgha.agent.backup.BackupStore},
 * {@link io.pgha.agent.backup.EtcdRunClaims}. {@link io.pgha.agent.backup.BackupJob} strings them together.
 */
package io.pgha.agent.backup;
