package io.pgha.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/systemd/pgha-java: the JVM writes the class-data archive to ARCHIVE.new at a clean exit, the next start
 * tries it and only then maps it, and a new jar or a refused archive has it written again. First against a stub
 * java that prints what it was given (and fails the trial start when told to), then for real on the JDK running
 * the tests (17 in CI: the one that cannot write an archive by itself and dies on a truncated one).
 */
class PghaJavaTest {
    static final Path SCRIPT = Kit.DEPLOY.resolve("systemd/pgha-java");

    @TempDir
    Path tmp;

    /**
     * Prints its arguments; the trial start (-Xshare:on) sleeps for the seconds in ./trial-sleep and exits with the
     * contents of ./trial-rc (0 without them).
     */
    private Path stubJava() throws IOException {
        Path java = tmp.resolve("java");
        Files.writeString(java, "#!/bin/sh\ncase \"$*\" in *-Xshare:on*) echo \"$*\" > '" + tmp.resolve("trial")
                + "'; sleep $(cat '" + tmp.resolve("trial-sleep") + "' 2>/dev/null || echo 0); exit $(cat '"
                + tmp.resolve("trial-rc") + "' 2>/dev/null || echo 0);; esac\necho \"$*\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return java;
    }

    private Kit.Result run(String... args) {
        return run(Kit.cleanEnv(), args);
    }

    private Kit.Result run(java.util.Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of(SCRIPT.toString()));
        cmd.addAll(List.of(args));
        return Kit.run(env, cmd);
    }

    private Path file(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text);
    }

    /** ctime and mtime have one-second resolution in stat -c %Z / %Y. */
    private static void nextSecond() throws InterruptedException {
        Thread.sleep(1100);
    }

    @Test
    void withoutAnArchiveTheJvmWritesOneAtExitBesideIt() throws Exception {
        Path java = stubJava();
        nextSecond();
        Path jar = file("app.jar", "jar");
        String archive = tmp.resolve("agent.jsa").toString();
        Kit.Result r = run(archive, java.toString(), "-Xmx64m", "-jar", jar.toString());
        assertEquals(0, r.exit(), r.output());
        assertEquals("-XX:+IgnoreUnrecognizedVMOptions -XX:ArchiveClassesAtExit=" + archive
                + ".new -Xlog:cds=error -Xmx64m -jar " + jar, r.output().strip());
    }

    @Test
    void aWrittenArchiveIsTriedOnceThenMapped() throws Exception {
        Path java = stubJava();
        Path jar = file("app.jar", "jar");
        nextSecond();
        Path fresh = file("agent.jsa.new", "archive");
        Path archive = tmp.resolve("agent.jsa");
        Kit.Result r = run(archive.toString(), java.toString(), "-Xmx64m", "-jar", jar.toString(), "--flag");
        assertEquals(0, r.exit(), r.output());
        assertEquals("-XX:+IgnoreUnrecognizedVMOptions -Xmx64m -Xshare:on -XX:SharedArchiveFile=" + fresh
                + " -XX:ErrorFile=/dev/null -XX:-CreateCoredumpOnCrash -cp " + jar + " -version",
                Files.readString(tmp.resolve("trial")).strip(), "the trial start: the unit's flags, the archive required");
        assertEquals("-XX:+IgnoreUnrecognizedVMOptions -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=" + archive
                + " -Xlog:cds=error -Xmx64m -jar " + jar + " --flag", r.output().strip());
        assertEquals("archive", Files.readString(archive));
        assertFalse(Files.exists(fresh));

        Files.delete(tmp.resolve("trial"));
        Kit.Result again = run(archive.toString(), java.toString(), "-jar", jar.toString());
        assertTrue(again.output().contains("-XX:SharedArchiveFile=" + archive), again.output());
        assertFalse(Files.exists(tmp.resolve("trial")), "a promoted archive is not tried again");
    }

    @Test
    void anArchiveTheJvmRefusesIsDeletedAndWrittenAgain() throws Exception {
        Path java = stubJava();
        Path jar = file("app.jar", "jar");
        nextSecond();
        Path fresh = file("agent.jsa.new", "cut short");
        file("trial-rc", "134");
        Path archive = tmp.resolve("agent.jsa");
        Kit.Result r = run(archive.toString(), java.toString(), "-jar", jar.toString());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("the JVM refused " + fresh), r.output());
        assertTrue(r.output().contains("-XX:ArchiveClassesAtExit=" + fresh), r.output());
        assertFalse(Files.exists(fresh), "the refused archive is gone until the JVM writes a new one");
        assertFalse(Files.exists(archive));
    }

    /** A trial that would pass after 30 s is cut at PGHA_JAVA_TRIAL_SECONDS and counted as refused. */
    @Test
    void aTrialThatHangsIsCutAndTheArchiveWrittenAgain() throws Exception {
        Path java = stubJava();
        Path jar = file("app.jar", "jar");
        nextSecond();
        Path fresh = file("agent.jsa.new", "archive");
        file("trial-sleep", "30");
        var env = Kit.cleanEnv();
        env.put("PGHA_JAVA_TRIAL_SECONDS", "1");
        Kit.Result r = run(env, tmp.resolve("agent.jsa").toString(), java.toString(), "-jar", jar.toString());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("did not answer within 1 s"), r.output());
        assertTrue(r.output().contains("-XX:ArchiveClassesAtExit=" + fresh), r.output());
        assertFalse(Files.exists(tmp.resolve("agent.jsa")), "a trial cut short must not promote the archive");
    }

    @Test
    void aJarInstalledAfterTheArchiveMakesItBeWrittenAgain() throws Exception {
        Path java = stubJava();
        Path archive = file("agent.jsa", "archive");
        nextSecond();
        Path jar = file("app.jar", "a new build");
        Kit.Result r = run(archive.toString(), java.toString(), "-jar", jar.toString());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains(jar + " was installed after " + archive), r.output());
        assertTrue(r.output().contains("-XX:ArchiveClassesAtExit=" + archive + ".new"), r.output());
        assertFalse(Files.exists(archive));
    }

    @Test
    void aJdkInstalledAfterTheArchiveMakesItBeWrittenAgain() throws Exception {
        Path jar = file("app.jar", "jar");
        Path archive = file("agent.jsa", "archive");
        nextSecond();
        Path java = stubJava();
        Kit.Result r = run(archive.toString(), java.toString(), "-jar", jar.toString());
        assertTrue(r.output().contains(java + " was installed after " + archive), r.output());
        assertTrue(r.output().contains("-XX:ArchiveClassesAtExit="), r.output());
    }

    @Test
    void anEmptyArchiveIsWrittenAgain() throws Exception {
        Path java = stubJava();
        Path jar = file("app.jar", "jar");
        nextSecond();
        Path archive = Files.createFile(tmp.resolve("agent.jsa"));
        Kit.Result r = run(archive.toString(), java.toString(), "-jar", jar.toString());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("-XX:ArchiveClassesAtExit=" + archive + ".new"), r.output());
    }

    @Test
    void tooFewArgumentsIsAUsageError() {
        Kit.Result r = run("/tmp/x.jsa", "/usr/bin/java");
        assertEquals(2, r.exit(), r.output());
        assertTrue(r.output().contains("usage: pgha-java"), r.output());
    }

    @Test
    void shellcheckIsClean() {
        Kit.assertShellcheckClean(SCRIPT);
    }

    /**
     * The real JVM: the first run writes the archive, a truncated one (JDK 17 dies of SIGBUS mapping it) is refused
     * and written again, and a whole one is tried, kept and maps the jar's class.
     */
    @Test
    void theRealJvmWritesTriesAndMapsTheArchive() throws Exception {
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
        nextSecond();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path archive = tmp.resolve("agent.jsa");
        Path fresh = tmp.resolve("agent.jsa.new");

        Kit.Result first = run(archive.toString(), java, "-XX:+UseSerialGC", "-jar", jar.toString());
        assertEquals(0, first.exit(), first.output());
        assertTrue(first.output().contains("hello from the jar"), first.output());
        assertTrue(Files.size(fresh) > 0, "no archive written at exit");
        byte[] whole = Files.readAllBytes(fresh);

        Files.write(fresh, Arrays.copyOf(whole, whole.length / 2));
        Kit.Result cut = run(archive.toString(), java, "-XX:+UseSerialGC", "-jar", jar.toString());
        assertEquals(0, cut.exit(), "a truncated archive must not stop the start: " + cut.output());
        assertTrue(cut.output().contains("the JVM refused " + fresh), cut.output());
        assertTrue(Files.size(fresh) > 0, "written again at that run's exit");

        Kit.Result mapped = run(archive.toString(), java, "-XX:+UseSerialGC", "-Xlog:class+load=info", "-jar",
                jar.toString());
        assertEquals(0, mapped.exit(), mapped.output());
        assertFalse(mapped.output().contains("refused"), mapped.output());
        assertTrue(Files.exists(archive) && !Files.exists(fresh), "the tried archive is kept under its name");
        String line = mapped.output().lines().filter(l -> l.contains(" " + Hello.class.getName() + " ")).findFirst()
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
