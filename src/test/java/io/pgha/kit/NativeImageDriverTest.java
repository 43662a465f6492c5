package io.pgha.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/local/native/PghaNativeImage.java, pgha's native-image command: the driver options a Quarkus build and
 * its libraries pass become the builder's -H: options, a jar's manifest gives the class path and main class,
 * META-INF/native-image Args and config files are read (and --exclude-config drops one), and an option it does
 * not know stops the build with its name. Run with PGHA_NATIVE_DRY_RUN=1, which prints the builder's command
 * instead of starting it, on the JDK running the tests (source-file mode).
 */
class NativeImageDriverTest {
    static final Path DRIVER = Kit.DEPLOY.resolve("local/native/PghaNativeImage.java");

    @TempDir
    Path tmp;

    record Run(int rc, List<String> out, String err) { }

    private Run driver(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dpgha.native.home=" + tmp.resolve("home"), DRIVER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment().put("PGHA_NATIVE_DRY_RUN", "1");
        Path out = tmp.resolve("out");
        Path err = tmp.resolve("err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        // Source-file mode compiles the driver first: seconds normally, minutes on a loaded 2-core box.
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "driver did not finish");
        return new Run(p.exitValue(), Files.readAllLines(out), Files.readString(err));
    }

    private Path jar(String name, String classPath, String propertiesArgs, String reflectConfigPath) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "io.example.Main");
        if (classPath != null) {
            m.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        }
        Path jar = tmp.resolve(name);
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(os, m)) {
            if (propertiesArgs != null) {
                jos.putNextEntry(new JarEntry("META-INF/native-image/io.example/lib/native-image.properties"));
                jos.write(("Args = " + propertiesArgs + "\n").getBytes(StandardCharsets.UTF_8));
            }
            if (reflectConfigPath != null) {
                jos.putNextEntry(new JarEntry(reflectConfigPath));
                jos.write("[]".getBytes(StandardCharsets.UTF_8));
            }
        }
        return jar;
    }

    @Test
    void quarkusOptionsBecomeBuilderOptions() throws Exception {
        jar("lib.jar", null, "--initialize-at-run-time=io.example.Lazy \\\n  --initialize-at-build-time=io.example",
                "META-INF/native-image/io.example/lib/reflect-config.json");
        jar("skipped.jar", null, null, "META-INF/native-image/io.example/skipped/generated/reflect-config.json");
        jar("app.jar", "lib.jar skipped.jar", null, null);
        Run r = driver("-J-Xmx3g", "--features=io.example.F", "--initialize-at-run-time=a.B,c.D", "--no-fallback",
                "--link-at-build-time", "--enable-url-protocols=http", "--enable-monitoring=heapdump,threaddump",
                "-march=compatibility", "-Ob", "-H:+ReportExceptionStackTraces",
                "--exclude-config", "skipped\\.jar", "/META-INF/native-image/io\\.example/skipped/.*",
                "app-runner", "-jar", tmp.resolve("app.jar").toString());
        assertEquals(0, r.rc(), r.err());
        List<String> out = r.out();
        for (String expected : List.of("-Xmx3g", "-H:Features=io.example.F",
                "-H:ClassInitialization=a.B:run_time,c.D:run_time", "-H:FallbackThreshold=0", "-H:LinkAtBuildTime=",
                "-H:EnableURLProtocols=http", "-H:EnableMonitoringFeatures=heapdump,threaddump",
                "-H:MicroArchitecture=compatibility", "-H:Optimize=b", "-H:+ReportExceptionStackTraces",
                "-H:Name=app-runner", "-H:Class=io.example.Main",
                "-H:ClassInitialization=io.example.Lazy:run_time", "-H:ClassInitialization=io.example:build_time",
                "-H:ReflectionConfigurationResources=META-INF/native-image/io.example/lib/reflect-config.json")) {
            assertTrue(out.contains(expected), expected + " missing from " + out);
        }
        // Quarkus's Feature parses the vendor version in the builder (GraalVM.Version.getCurrent).
        assertTrue(out.stream().anyMatch(a -> a.startsWith("-Dorg.graalvm.vendorversion=GraalVM CE 25.0.4+")), out.toString());
        String cp = out.get(out.indexOf("-imagecp") + 1);
        assertEquals(List.of(tmp.resolve("app.jar").toString(), tmp.resolve("lib.jar").toString(),
                tmp.resolve("skipped.jar").toString()), List.of(cp.split(":")));
        assertTrue(out.stream().noneMatch(a -> a.contains("skipped/generated")), "--exclude-config ignored: " + out);
        // The JDK libraries beside the runner first, then the builder home's copy.
        assertTrue(out.contains("-H:NativeLinkerOption=-Wl,-rpath,$ORIGIN/native-lib:" + tmp.resolve("home/lib/svm/native-lib")), out.toString());
    }

    @Test
    void anUnknownOptionStopsTheBuildWithItsName() throws Exception {
        jar("app.jar", null, null, null);
        Run r = driver("--pgo=default.iprof", "app", "-jar", tmp.resolve("app.jar").toString());
        assertEquals(2, r.rc());
        assertTrue(r.err().contains("--pgo is not supported"), r.err());
    }

    @Test
    void versionHasTheShapeQuarkusParses() throws Exception {
        Run r = driver("--version");
        assertEquals(0, r.rc(), r.err());
        assertTrue(r.out().get(0).startsWith("native-image 25.0.4 "), r.out().toString());
        assertTrue(r.out().get(1).matches("GraalVM Runtime Environment GraalVM CE 25\\.0\\.4\\+\\d+\\.1 \\(build .*\\)"),
                r.out().toString());
    }
}
