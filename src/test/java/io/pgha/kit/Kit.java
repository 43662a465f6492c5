package io.pgha.kit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** Shared helpers for the deployment-kit tests: the repository layout and running its tools. */
final class Kit {

    static final Path ROOT = findRoot();
    static final Path DEPLOY = ROOT.resolve("deploy");
    static final Path SCRIPTS = DEPLOY.resolve("scripts");
    static final Path OVERLAYS = ROOT.resolve("compose-overlays");
    static final Path HAPROXY_CFG = ROOT.resolve("haproxy/haproxy.cfg");
    static final List<String> VMS = List.of("1", "2", "3");

    private Kit() {
    }

    record Result(int exit, String output) {
        Result assertOk(String what) {
            if (exit != 0) {
                fail(what + " failed with exit " + exit + ":\n" + output);
            }
            return this;
        }
    }

    private static Path findRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root (pom.xml + deploy/) above " + dir);
    }

    /** Fails with the package to install when a tool the kit is checked with is missing. */
    static void requireTool(String tool, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return;
            }
        }
        fail(tool + " is not on PATH; install it with: apt-get install -y " + debianPackage);
    }

    /** A minimal environment, so that variables of the developer's shell cannot leak into compose. */
    static Map<String, String> cleanEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        env.put("HOME", System.getProperty("java.io.tmpdir"));
        env.put("LANG", "C.UTF-8");
        return env;
    }

    /** shellcheck at style level has nothing to say about the script (-x: follows what it sources). */
    static void assertShellcheckClean(Path script) {
        requireTool("shellcheck", "shellcheck");
        Result r = run(cleanEnv(), "shellcheck", "-x", "-S", "style", script.toString());
        org.junit.jupiter.api.Assertions.assertEquals(0, r.exit(), "shellcheck " + script + ":\n" + r.output());
    }

    static Result run(Map<String, String> env, String... command) {
        return run(env, Arrays.asList(command));
    }

    static Result run(Map<String, String> env, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        try {
            Process process = pb.start();
            process.getOutputStream().close();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("timed out after 120 s: " + String.join(" ", command));
            }
            return new Result(process.exitValue(), output.get(10, TimeUnit.SECONDS));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (Exception e) {
            throw new IllegalStateException("running " + command, e);
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** docker-compose --env-file ENV -f FILE... config, which must succeed. */
    static String composeConfig(Path envFile, Path... files) {
        requireTool("docker-compose", "docker-compose");
        List<String> command = new ArrayList<>(List.of("docker-compose", "--env-file", envFile.toString()));
        for (Path f : files) {
            command.add("-f");
            command.add(f.toString());
        }
        command.add("config");
        return run(cleanEnv(), command).assertOk(String.join(" ", command)).output();
    }

    static Path vmCompose(String n) {
        return DEPLOY.resolve("docker-compose.vm" + n + ".yml");
    }

    static Path vmEnvExample(String n) {
        return DEPLOY.resolve(".env.vm" + n + ".example");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(200);
        Object loaded = new Yaml(options).load(text);
        assertTrue(loaded instanceof Map, "YAML document is not a mapping:\n" + text);
        return (Map<String, Object>) loaded;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            assertTrue(current instanceof Map, "no mapping at '" + key + "' of " + String.join(".", path));
            current = ((Map<String, Object>) current).get(key);
        }
        assertTrue(current instanceof Map, "no mapping at " + String.join(".", path) + " (found " + current + ")");
        return (Map<String, Object>) current;
    }

    static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** KEY=value assignments of an env file (comments and blank lines skipped; last one wins). */
    static Map<String, String> envFile(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text(file).split("\n")) {
            Matcher m = Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)=(.*)$").matcher(line.strip());
            if (m.matches()) {
                values.put(m.group(1), m.group(2));
            }
        }
        return values;
    }

    /** Names of the variables a compose file interpolates (${VAR}, ${VAR:-x}, ${VAR:?x}); $$ is an escape. */
    static List<String> composeVariables(String composeText) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("(?<!\\$)\\$\\{([A-Za-z_][A-Za-z0-9_]*)").matcher(composeText);
        while (m.find()) {
            if (!names.contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}
