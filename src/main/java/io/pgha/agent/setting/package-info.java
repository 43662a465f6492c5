/**
 * The wording of settings problems ({@link io.pgha.agent.setting.Setting}), shared by the config package's checks
 * and the features' own ({@code FastPathConfig.problems}, {@code BackupConfigCheck}, ...). A leaf on purpose: config
 * composes the features' settings and calls their checks, so if those checks used config's helpers the two would
 * import each other; with this package below both, imports point one way (ConfigImportsTest keeps them so).
 */
package io.pgha.agent.setting;
