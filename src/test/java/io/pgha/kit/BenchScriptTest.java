package io.pgha.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** deploy/local/bench/agent-footprint passes shellcheck and answers --help and bad arguments without running. */
class BenchScriptTest {

    static final Path SCRIPT = Kit.DEPLOY.resolve("local/bench/agent-footprint");

    @Test
    void shellcheckIsClean() {
        Kit.assertShellcheckClean(SCRIPT);
    }

    @Test
    void usageOnHelpAndExit2OnABadArgument() {
        assertTrue(Files.isExecutable(SCRIPT), SCRIPT + " is not executable");
        Kit.Result help = Kit.run(Kit.cleanEnv(), SCRIPT.toString(), "--help").assertOk("agent-footprint --help");
        assertTrue(help.output().startsWith("Usage: agent-footprint"), help.output());
        Kit.Result bad = Kit.run(Kit.cleanEnv(), SCRIPT.toString(), "--bogus");
        assertEquals(2, bad.exit(), bad.output());
    }
}
