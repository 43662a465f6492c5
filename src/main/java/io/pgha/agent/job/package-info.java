/**
 * The shape the agent's background jobs share, as CloudNativePG's instance manager gives its runnables one. A job's
 * package holds a pure policy, a {@link io.pgha.agent.job.Runner} that gathers facts, asks the policy and carries
 * out its decision one step at a time on a {@link io.pgha.agent.job.Loop}, and a bean implementing
 * {@link io.pgha.agent.job.Job} that builds the runner from the {@link io.pgha.agent.job.JobContext};
 * {@link io.pgha.agent.job.Jobs} starts and stops them all. This package uses only the settings and the clients
 * and stores every job reads (config, etcd, health), so every feature can build on it.
 *
 * <p>A new job is a package with:
 * <ul>
 * <li>its settings, an interface added to {@code AgentConfig}, checked by a {@code problems()} that words each
 * problem with {@code io.pgha.agent.setting.Setting} and is called from {@code ConfigCheck};</li>
 * <li>a {@code *Policy} (facts and the time in, a decision with a reason out) and its plain unit tests;</li>
 * <li>a runner implementing {@code Runner}, taking its steps on a {@code Loop};</li>
 * <li>a {@code Job} bean: its constructor takes the {@code JobContext} (and anything else it needs), {@code start()}
 * says in one line why the job stays off or builds the runner into an {@code OnOff}, {@code facts()} fills its slot
 * of the published status (a field of gossip's AgentStatus) and, for endpoints, it also implements
 * {@code http.Routes}.</li>
 * </ul>
 */
package io.pgha.agent.job;
