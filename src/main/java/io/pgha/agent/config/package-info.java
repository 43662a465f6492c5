/**
 * The agent's settings: one {@code @ConfigMapping} under the {@code pgha} prefix, checked once at startup so
 * a bad value stops the agent with a message that names the setting instead of surfacing later as a wrong
 * routing answer. The {@link java.time.Clock} every policy reads comes from here too, so tests can pin time.
 *
 * <p>Imports point one way: {@link io.pgha.agent.config.AgentConfig} composes the features' own settings
 * ({@code FastPathConfig}, {@code BackupConfig}, ...) and {@link io.pgha.agent.config.ConfigCheck} calls their
 * checks, and those use only {@link io.pgha.agent.setting.Setting} to word a problem, never this package
 * (ConfigImportsTest fails on a back-import).
 */
package io.pgha.agent.config;
