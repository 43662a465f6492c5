package io.pgha.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No Docker engine and no hadolint here, so the Dockerfiles are parsed: known instructions only, pinned base
 * images, COPY sources that exist (or that the Quarkus build produces), stages that exist, a non-root user
 * and an exec-form entrypoint in the final stage, and the JVM flags the local cluster runs with.
 */
class DockerfilesTest {

    static final Path DOCKER = Kit.ROOT.resolve("src/main/docker");
    static final Set<String> INSTRUCTIONS = Set.of("FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY",
            "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL");
    /** What quarkus-maven-plugin writes to target/quarkus-app (the aot-jar layout) and Dockerfile.jvm copies. */
    static final Set<String> APP_LAYOUT = Set.of("target/quarkus-app/lib/", "target/quarkus-app/quarkus-run.jar",
            "target/quarkus-app/quarkus/", "target/quarkus-app/app/");

    record Instruction(int line, String keyword, String args) { }

    static List<Instruction> parse(Path file) {
        List<Instruction> out = new ArrayList<>();
        String[] lines = Kit.text(file).split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int start = i + 1;
            StringBuilder joined = new StringBuilder();
            while (line.endsWith("\\")) {
                joined.append(line, 0, line.length() - 1).append(' ');
                line = lines[++i].strip();
            }
            joined.append(line);
            String[] parts = joined.toString().split("\\s+", 2);
            out.add(new Instruction(start, parts[0], parts.length > 1 ? parts[1] : ""));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native"})
    void parsesAndEveryReferenceResolves(String name) {
        List<Instruction> all = parse(DOCKER.resolve(name));
        assertEquals("FROM", all.get(0).keyword(), name + " must start with FROM");
        List<String> stages = new ArrayList<>();
        Instruction lastUser = null;
        Instruction lastEntrypoint = null;
        for (Instruction in : all) {
            String where = name + ":" + in.line() + " ";
            assertTrue(INSTRUCTIONS.contains(in.keyword()), where + "unknown instruction " + in.keyword());
            assertFalse(in.args().isBlank(), where + in.keyword() + " without arguments");
            switch (in.keyword()) {
                case "FROM" -> {
                    String[] f = in.args().split("\\s+");
                    assertTrue(f[0].contains(":") && !f[0].endsWith(":latest"), where + "pin the base image tag: " + f[0]);
                    if (f.length == 3) {
                        assertEquals("AS", f[1].toUpperCase(), where);
                        stages.add(f[2]);
                    }
                    lastUser = null;
                    lastEntrypoint = null;
                }
                case "COPY", "ADD" -> {
                    Matcher from = Pattern.compile("--from=(\\S+)").matcher(in.args());
                    List<String> words = new ArrayList<>(List.of(in.args().replaceAll("--\\S+", "").trim().split("\\s+")));
                    words.remove(words.size() - 1); // the destination
                    if (from.find()) {
                        assertTrue(stages.contains(from.group(1)), where + "no earlier stage " + from.group(1));
                    } else {
                        for (String src : words) {
                            if (src.startsWith("target/")) {
                                assertTrue(APP_LAYOUT.contains(src), where + src + " is not part of Quarkus's aot-jar output");
                            } else {
                                assertTrue(Files.exists(Kit.ROOT.resolve(src)), where + src + " does not exist in the repository");
                            }
                        }
                    }
                }
                case "USER" -> lastUser = in;
                case "ENTRYPOINT" -> lastEntrypoint = in;
                default -> { }
            }
        }
        assertTrue(lastUser != null && !Set.of("root", "0", "0:0").contains(lastUser.args()),
                name + ": the final stage must switch to a non-root USER");
        assertTrue(lastEntrypoint != null && lastEntrypoint.args().startsWith("["),
                name + ": the final stage needs an exec-form ENTRYPOINT (signals reach the process)");
        assertTrue(all.stream().anyMatch(i -> i.keyword().equals("EXPOSE") && i.args().equals("5480 8180")),
                name + " must expose the agent-check and HTTP ports");
    }

    @Test
    void theJvmImageCopiesTheWholeFastJarAndItExistsAfterPackage() {
        List<String> copied = new ArrayList<>();
        for (Instruction in : parse(DOCKER.resolve("Dockerfile.jvm"))) {
            if (in.keyword().equals("COPY")) {
                copied.add(in.args().replaceAll("--\\S+", "").trim().split("\\s+")[0]);
            }
        }
        assertEquals(APP_LAYOUT, Set.copyOf(copied));
        Path app = Kit.ROOT.resolve("target/quarkus-app");
        if (Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
            for (String src : APP_LAYOUT) {
                assertTrue(Files.exists(Kit.ROOT.resolve(src)), src + " missing from a packaged build");
            }
        }
    }

    @Test
    void theJvmImageRunsWithTheLocalClustersFlags() {
        String env = parse(DOCKER.resolve("Dockerfile.jvm")).stream().filter(i -> i.keyword().equals("ENV"))
                .map(Instruction::args).findFirst().orElseThrow();
        Matcher opts = Pattern.compile("JDK_JAVA_OPTIONS=\"([^\"]*)\"").matcher(env);
        assertTrue(opts.find(), "no JDK_JAVA_OPTIONS in " + env);
        assertTrue(env.contains("MALLOC_ARENA_MAX=2"), env);
        Matcher local = Pattern.compile("AGENT_JVM_FLAGS=\\(([^)]*)\\)").matcher(
                Kit.text(Kit.DEPLOY.resolve("local/lib/nodes.sh")).replace("\\\n", " "));
        assertTrue(local.find(), "no AGENT_JVM_FLAGS=(...) in nodes.sh");
        assertEquals(List.of(local.group(1).trim().split("\\s+")), List.of(opts.group(1).trim().split("\\s+")));
    }

    /** pg_dump must be at least the server's major: the JVM image's client is the Spilo image's major. */
    @Test
    void theJvmImageCarriesThePostgresClientOfTheSpiloMajor() {
        Matcher spilo = Pattern.compile("SPILO_IMAGE=\\S*spilo-(\\d+):").matcher(Kit.text(Kit.vmEnvExample("1")));
        assertTrue(spilo.find(), "no SPILO_IMAGE=...spilo-N:... in .env.vm1.example");
        String major = spilo.group(1);
        for (String n : Kit.VMS) {
            assertTrue(Kit.text(Kit.vmCompose(n)).contains("spilo-" + major + ":"), "docker-compose.vm" + n
                    + ".yml defaults to another Spilo major than .env.vm1.example");
        }
        List<Instruction> all = parse(DOCKER.resolve("Dockerfile.jvm"));
        assertTrue(all.stream().anyMatch(i -> i.keyword().equals("RUN") && i.args().contains("postgresql-client-" + major)),
                "Dockerfile.jvm must install postgresql-client-" + major);
        assertTrue(all.stream().anyMatch(i -> i.keyword().equals("ENV")
                && i.args().contains("PGHA_BACKUP_BIN_DIR=/usr/lib/postgresql/" + major + "/bin")),
                "Dockerfile.jvm must point PGHA_BACKUP_BIN_DIR at the client's directory");
    }
}
