/**
 * Re-initialising a replica that has drifted (through Patroni's {@code POST /reinitialize}), safely.
 *
 * <p>{@link io.pgha.agent.reinit.DriftTracker} turns each loop's facts into signals that must persist
 * (several loops and a minimum time) before they count; {@link io.pgha.agent.reinit.ReinitPolicy}
 * applies the safety rules (never the leader, only with a healthy leader, one at a time across the
 * cluster, cool-down and hourly cap, pause, dry run). Both are pure; {@link
 * io.pgha.agent.reinit.ReinitRunner} gathers the facts and carries out what they decide.
 */
package io.pgha.agent.reinit;
