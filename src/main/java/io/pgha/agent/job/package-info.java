/**
 * The shape the agent's background jobs share, as CloudNativePG's instance manager gives its runnables one: a job's
 * package holds a pure policy and a runner that gathers facts, asks the policy and carries out its decision, one
 * step at a time on a {@link io.pgha.agent.job.Loop}. A leaf: it imports nothing of the agent, so every feature can
 * use it.
 */
package io.pgha.agent.job;
