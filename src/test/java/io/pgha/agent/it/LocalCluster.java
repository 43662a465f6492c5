package io.pgha.agent.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The local cluster's layout as {@code pgha-local env} prints it ({@code NODE1_ADDR=10.231.0.11},
 * {@code AGENT_CHECK_PORT=5480}, ...). The script is found through PGHA_LOCAL (system property {@code pgha.local}
 * or env), else {@code <pgha.repo>/deploy/local/pgha-local}.
 */
record LocalCluster(Map<String, String> env) {

    static LocalCluster load() throws IOException, InterruptedException {
        String script = System.getProperty("pgha.local", System.getenv("PGHA_LOCAL"));
        if (script == null || script.isBlank()) {
            script = Path.of(System.getProperty("pgha.repo", "."), "deploy", "local", "pgha-local").toString();
        }
        if (!Files.isExecutable(Path.of(script))) {
            throw new IllegalStateException("no cluster script at " + script
                    + "; set PGHA_LOCAL to the repo's deploy/local/pgha-local");
        }
        Process p = new ProcessBuilder(script, "env").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(script + " env failed:\n" + out);
        }
        return new LocalCluster(parse(out));
    }

    /** Accepts KEY=VALUE, export KEY=VALUE, and single or double quotes; ignores everything else. */
    static Map<String, String> parse(String out) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String raw : out.split("\\R")) {
            String line = raw.strip();
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int eq = line.indexOf('=');
            if (line.startsWith("#") || eq <= 0 || !line.substring(0, eq).matches("[A-Za-z_][A-Za-z0-9_]*")) {
                continue;
            }
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            env.put(line.substring(0, eq), value);
        }
        return env;
    }

    /** NODE1_ADDR, NODE2_ADDR, ... in order. */
    List<String> nodeAddresses() {
        List<String> nodes = new ArrayList<>();
        for (int i = 1; env.containsKey("NODE" + i + "_ADDR"); i++) {
            nodes.add(env.get("NODE" + i + "_ADDR"));
        }
        if (nodes.isEmpty()) {
            throw new IllegalStateException("pgha-local env printed no NODE1_ADDR: " + env.keySet());
        }
        return nodes;
    }

    int agentCheckPort() {
        return Integer.parseInt(env.getOrDefault("AGENT_CHECK_PORT", "5480"));
    }

    int patroniPort() {
        return Integer.parseInt(env.getOrDefault("PATRONI_PORT", "8008"));
    }
}
