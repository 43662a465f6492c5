package io.pgha.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/systemd/pgha-java: writes the class-data archive at the first clean exit, maps it after, and writes it
 * again when the jar was installed after it. First against a stub java that prints what it was given, then
 * once for real on the JDK running the tests (17 in CI: the one that cannot write an archive by itself).
 */
class PghaJavaTest {
    static final Path SCRIPT = Kit.DEPLOY.resolve("systemd/pgha-java");

    @TempDir
    Path tmp;

    private Path stubJava() throws IOException {
        Path java = tmp.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"$*\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return java;
    }

    private Kit.Result run(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(SCRIPT.toString()));
        cmd.addAll(List.of(args));
        return Kit.run(Kit.cleanEnv(), cmd);
    }

    @Test
    void withoutAnArchiveTheJvmWritesOneAtExit() throws IOException {
        Path jar = Files.writeString(tmp.resolve("app.jar"), "jar");
        String archive = tmp.resolve("agent.jsa").toString();
        Kit.Result r = run(archive, stubJava().toString(), "-Xmx64m", "-jar", jar.toString());
        assertEquals(0, r.exit(), r.output());
        assertEquals("-XX:+IgnoreUnrecognizedVMOptions -XX:ArchiveClassesAtExit=" + archive
                + " -Xlog:cds=error -Xmx64m -jar " + jar, r.output().strip());
    }

    @Test
    void anArchiveNewerThanTheJarIsMappedAndKeptFresh() throws Exception {
        Path jar = Files.writeString(tmp.resolve("app.jar"), "jar");
        Thread.sleep(1100); // ctime has one-second resolution in stat -c %Z
        Path archive = Files.writeString(tmp.resolve("agent.jsa"), "archive");
        Kit.Result r = run(archive.toString(), stubJava().toString(), "-jar", jar.toString(), "--flag");
        assertEquals(0, r.exit(), r.output());
        assertEquals("-XX:+IgnoreUnrecognizedVMOptions -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=" + archive
                + " -Xlog:cds=error -jar " + jar + " --flag", r.output().strip());
        assertTrue(Files.exists(archive));
    }

    @Test
    void aJarInstalledAfterTheArchiveMakesItBeWrittenAgain() throws Exception {
        Path archive = Files.writeString(tmp.resolve("agent.jsa"), "archive");
        Thread.sleep(1100);
        Path jar = Files.writeString(tmp.resolve("app.jar"), "a new build");
        Kit.Result r = run(archive.toString(), stubJava().toString(), "-jar", jar.toString());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("was installed after"), r.output());
        assertTrue(r.output().contains("-XX:ArchiveClassesAtExit=" + archive), r.output());
        assertFalse(Files.exists(archive), "the stale archive is gone until the JVM writes a new one");
    }

    @Test
    void anEmptyArchiveFromAnInterruptedWriteIsWrittenAgain() throws IOException {
        Path jar = Files.writeString(tmp.resolve("app.jar"), "jar");
        Path archive = Files.createFile(tmp.resolve("agent.jsa"));
        Kit.Result r = run(archive.toString(), stubJava().toString(), "-jar", jar.toString());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("-XX:ArchiveClassesAtExit=" + archive), r.output());
    }

    @Test
    void tooFewArgumentsIsAUsageError() {
        Kit.Result r = run("/tmp/x.jsa", "/usr/bin/java");
        assertEquals(2, r.exit(), r.output());
        assertTrue(r.output().contains("usage: pgha-java"), r.output());
    }

    @Test
    void shellcheckIsClean() {
        Kit.requireTool("shellcheck", "shellcheck");
        Kit.Result r = Kit.run(Kit.cleanEnv(), "shellcheck", "-S", "style", SCRIPT.toString());
        assertEquals(0, r.exit(), r.output());
    }

    /** The real JVM: the first run writes the archive, the second loads the jar's class from it. */
    @Test
    void theRealJvmWritesTheArchiveAndThenMapsIt() throws Exception {
        Path jar = tmp.resolve("hello.jar");
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Hello.class.getName());
        String entry = Hello.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, mf);
             var in = Hello.class.getClassLoader().getResourceAsStream(entry)) {
            j.putNextEntry(new JarEntry(entry));
            in.transferTo(j);
            j.closeEntry();
        }
        Thread.sleep(1100);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path archive = tmp.resolve("agent.jsa");

        Kit.Result first = run(archive.toString(), java, "-Xlog:class+load=info", "-jar", jar.toString());
        assertEquals(0, first.exit(), first.output());
        assertTrue(first.output().contains("hello from the jar"), first.output());
        assertTrue(Files.size(archive) > 0, "no archive written at exit");

        Kit.Result second = run(archive.toString(), java, "-Xlog:class+load=info", "-jar", jar.toString());
        assertEquals(0, second.exit(), second.output());
        String line = second.output().lines().filter(l -> l.contains(" " + Hello.class.getName() + " ")).findFirst()
                .orElse("");
        assertTrue(line.contains("shared objects file"), "the jar's class came from the archive: " + line);
    }

    /** What the jar runs. */
    public static final class Hello {
        public static void main(String[] args) {
            System.out.println("hello from the jar");
        }
    }
}
