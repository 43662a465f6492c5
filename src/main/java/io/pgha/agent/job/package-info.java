/**
 * The shape the agent's background jobs share, as CloudNativePG's instance manager gives its runnables one. A job's
 * package holds a pure policy, a {@link io.pgha.agent.job.Runner} that gathers facts, asks the policy and carries
 * out its decision one step at a time on a {@link io.pgha.agent.job.Loop}, and a bean implementing
 * {@link io.pgha.agent.job.Job} that builds the runner from the {@link io.pgha.agent.job.JobContext};
 * {@link io.pgha.agent.job.Jobs} starts and stops them all. This package uses only the settings and the clients
 * and stores every job reads (config, etcd, health), so every feature can build on it.
 */
package io.pgha.agent.job;
