package io.pgha.agent.setting;

import java.time.Duration;

/**
 * How every settings check words a problem: the property, its env variable (operators set these through an env
 * file, so both are named) and why the value cannot work. Used by config's ConfigCheck and TlsCheck and by each
 * feature's own settings check, and imports nothing of the agent, so those checks never point back at config.
 */
public final class Setting {

    private Setting() {
    }

    /** pgha.fast-path.data-dir becomes PGHA_FAST_PATH_DATA_DIR, by MicroProfile's rules for env names. */
    public static String envName(String property) {
        return property.toUpperCase().replace('.', '_').replace('-', '_');
    }

    /** {@code pgha.x [PGHA_X] why}: one problem, as startup prints it. */
    public static String bad(String property, String why) {
        return property + " [" + envName(property) + "] " + why;
    }

    public static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }
}
