package io.pgha.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The operations scripts parse (bash -n) and pass shellcheck, following the sourced lib.sh. */
class ScriptLintTest {

    static Stream<Path> scripts() throws IOException {
        try (Stream<Path> files = Files.list(Kit.SCRIPTS)) {
            return files.filter(p -> p.toString().endsWith(".sh")).sorted().toList().stream();
        }
    }

    @Test
    void theExpectedScriptsExistAndAreExecutable() throws IOException {
        List<String> names = scripts().map(p -> p.getFileName().toString()).toList();
        assertEquals(List.of("cluster-status.sh", "lib.sh", "start-cluster.sh", "stop-cluster.sh"), names);
        for (String script : List.of("cluster-status.sh", "start-cluster.sh", "stop-cluster.sh")) {
            Path p = Kit.SCRIPTS.resolve(script);
            assertTrue(Files.isExecutable(p), script + " is not executable");
            assertTrue(Kit.text(p).contains("set -euo pipefail"), script + " must run in strict mode");
        }
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void bashParses(Path script) {
        Kit.requireTool("bash", "bash");
        Kit.run(Kit.cleanEnv(), "bash", "-n", script.toString()).assertOk("bash -n " + script);
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void shellcheckIsClean(Path script) {
        Kit.assertShellcheckClean(script);
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void usageOnHelpAndOnBadArguments(Path script) {
        if (script.endsWith("lib.sh")) {
            return;
        }
        Kit.Result help = Kit.run(Kit.cleanEnv(), script.toString(), "--help").assertOk(script + " --help");
        assertTrue(help.output().startsWith("Usage: " + script.getFileName()), help.output());
        Kit.Result bad = Kit.run(Kit.cleanEnv(), script.toString(), "--vm", "7");
        assertEquals(2, bad.exit(), bad.output());
        assertTrue(bad.output().contains("unknown --vm '7'"), bad.output());
        Kit.Result none = Kit.run(Kit.cleanEnv(), script.toString());
        assertEquals(2, none.exit(), none.output());
    }
}
