/**
 * The agent's settings: one {@code @ConfigMapping} under the {@code pgha} prefix, checked once at startup so
 * a bad value stops the agent with a message that names the setting instead of surfacing later as a wrong
 * routing answer. The {@link java.time.Clock} every policy reads comes from here too, so tests can pin time.
 */
package io.pgha.agent.config;
