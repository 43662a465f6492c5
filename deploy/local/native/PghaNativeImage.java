import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * pgha's `native-image` command for a builder assembled from Maven Central (deploy/local/native-builder).
 * GraalVM's own driver (svm-driver) is not served there, so this does the part of its job that a Quarkus
 * build uses: it turns the driver options into the builder's -H: options, reads the native-image
 * configuration that jars carry under META-INF/native-image, and starts
 * com.oracle.svm.hosted.NativeImageGeneratorRunner on Temurin 25 with the builder jars as modules.
 * An option it does not know stops the build with its name rather than being dropped.
 */
public final class PghaNativeImage {
    private static final String BUILDER = "org.graalvm.nativeimage.builder/com.oracle.svm.hosted.NativeImageGeneratorRunner";
    /** Builder modules that reach into JDK internals; the real driver opens the same. */
    private static final String BUILDER_MODULES = "org.graalvm.nativeimage.builder,org.graalvm.nativeimage.base,"
            + "org.graalvm.nativeimage.pointsto,org.graalvm.nativeimage.objectfile,jdk.graal.compiler,"
            + "org.graalvm.nativeimage.configure";
    /** META-INF/native-image file name to the builder option that takes it as a class-path resource. */
    private static final Map<String, String> CONFIG_RESOURCES = Map.of(
            "reflect-config.json", "ReflectionConfigurationResources",
            "resource-config.json", "ResourceConfigurationResources",
            "jni-config.json", "JNIConfigurationResources",
            "proxy-config.json", "DynamicProxyConfigurationResources",
            "serialization-config.json", "SerializationConfigurationResources",
            "predefined-classes-config.json", "PredefinedClassesConfigurationResources",
            "reachability-metadata.json", "ReachabilityMetadataResources");

    private final Path home;
    private final String version;
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> builderArgs = new ArrayList<>();
    private final Set<Path> classpath = new LinkedHashSet<>();
    private final List<Pattern[]> excludedConfigs = new ArrayList<>();
    private String imageName;
    private String mainClass;

    private PghaNativeImage(Path home, String version) {
        this.home = home;
        this.version = version;
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(System.getProperty("pgha.native.home", System.getProperty("java.home")));
        String version = System.getProperty("pgha.native.version", "25.0.4");
        if (args.length == 1 && args[0].equals("--version")) {
            String jdk = Runtime.version().toString();
            String full = fullVersion(version);
            // The shape Quarkus parses (io.quarkus.deployment.pkg.steps.GraalVM.Version).
            System.out.println("native-image " + version + " 2026-07-21");
            System.out.println("GraalVM Runtime Environment GraalVM CE " + full + " (build " + jdk + ")");
            System.out.println("Substrate VM GraalVM CE " + full + " (build " + jdk + ", serial gc)");
            return;
        }
        System.exit(new PghaNativeImage(home, version).run(expandArgFiles(args)));
    }

    /** Quarkus reads "<version>+<build>" after the vendor name; without a build number its parser fails. */
    private static String fullVersion(String version) {
        return version + "+" + Runtime.version().build().orElse(1) + ".1";
    }

    private static List<String> expandArgFiles(String[] args) throws IOException {
        List<String> out = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("@") && a.length() > 1) {
                for (String line : Files.readAllLines(Path.of(a.substring(1)))) {
                    if (!line.isBlank()) out.add(line.strip());
                }
            } else {
                out.add(a);
            }
        }
        return out;
    }

    private int run(List<String> args) throws Exception {
        Path jar = null;
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("-J")) {
                jvmArgs.add(a.substring(2));
            } else if (a.startsWith("-H:") || a.startsWith("-R:")) {
                builderArgs.add(a);
            } else if (a.startsWith("-D")) {
                jvmArgs.add(a);
            } else if (a.equals("-jar")) {
                jar = Path.of(need(args, ++i, a)).toAbsolutePath();
            } else if (a.equals("-cp") || a.equals("-classpath") || a.equals("--class-path")) {
                for (String p : need(args, ++i, a).split(":")) classpath.add(Path.of(p).toAbsolutePath());
            } else if (a.equals("-o")) {
                imageName = need(args, ++i, a);
            } else if (a.matches("-O[0-3bs]")) {
                builderArgs.add("-H:Optimize=" + a.substring(2));
            } else if (a.equals("--exclude-config")) {
                excludedConfigs.add(new Pattern[] {Pattern.compile(need(args, ++i, a)), Pattern.compile(need(args, ++i, a))});
            } else if (a.startsWith("-")) {
                driverOption(a);
            } else {
                positional.add(a);
            }
        }
        // `native-image [options] NAME -jar JAR` (Quarkus) or `native-image [options] -cp CP MAIN [NAME]`
        if (jar != null) {
            if (!positional.isEmpty() && imageName == null) imageName = positional.get(0);
        } else if (!positional.isEmpty()) {
            mainClass = positional.get(0);
            if (positional.size() > 1 && imageName == null) imageName = positional.get(1);
        }
        if (jar != null) {
            readJar(jar);
        }
        if (mainClass == null) {
            throw fail("no main class: give -jar with a Main-Class manifest or a class name after -cp");
        }
        if (imageName == null) {
            imageName = mainClass.substring(mainClass.lastIndexOf('.') + 1).toLowerCase();
        }
        for (Path p : List.copyOf(classpath)) {
            readMetaInf(p);
        }
        return startBuilder();
    }

    private static String need(List<String> args, int i, String option) {
        if (i >= args.size()) throw fail(option + " needs a value");
        return args.get(i);
    }

    /** The driver's `--name[=value]` options that a Quarkus build and its libraries use. */
    private void driverOption(String a) {
        int eq = a.indexOf('=');
        String name = eq < 0 ? a : a.substring(0, eq);
        String value = eq < 0 ? null : a.substring(eq + 1);
        switch (name) {
            case "--features" -> builderArgs.add("-H:Features=" + required(name, value));
            case "--initialize-at-run-time" -> builderArgs.add("-H:ClassInitialization=" + initialization(value, "run_time"));
            case "--initialize-at-build-time" -> builderArgs.add("-H:ClassInitialization=" + initialization(value, "build_time"));
            case "--no-fallback" -> builderArgs.add("-H:FallbackThreshold=0");
            case "--link-at-build-time" -> builderArgs.add("-H:LinkAtBuildTime=" + (value == null ? "" : value));
            case "--enable-url-protocols" -> builderArgs.add("-H:EnableURLProtocols=" + required(name, value));
            case "--enable-monitoring" -> builderArgs.add("-H:EnableMonitoringFeatures=" + (value == null ? "all" : value));
            case "--enable-native-access" -> builderArgs.add("-H:EnableNativeAccess=" + required(name, value));
            case "--enable-http", "--enable-https" -> builderArgs.add("-H:EnableURLProtocols=" + name.substring(9));
            case "--report-unsupported-elements-at-runtime" -> builderArgs.add("-H:+ReportUnsupportedElementsAtRuntime");
            case "--allow-incomplete-classpath" -> { /* the default since GraalVM 22 */ }
            case "--verbose" -> { }
            case "-march" -> builderArgs.add("-H:MicroArchitecture=" + required(name, value));
            case "--static-nolibc" -> builderArgs.add("-H:+StaticExecutableWithDynamicLibC");
            case "--parallelism" -> builderArgs.add("-H:NumberOfThreads=" + required(name, value));
            case "--add-exports", "--add-opens", "--add-reads" -> jvmArgs.add(a);
            default -> throw fail("native-image option " + name + " is not supported by pgha's native-image "
                    + "(deploy/local/native/PghaNativeImage.java); pass the builder's -H: form instead");
        }
    }

    private static String required(String name, String value) {
        if (value == null || value.isEmpty()) throw fail(name + " needs a value (" + name + "=...)");
        return value;
    }

    private static String initialization(String value, String when) {
        if (value == null || value.isEmpty()) return ":" + when;
        StringBuilder sb = new StringBuilder();
        for (String c : value.split(",")) {
            if (c.isBlank()) continue;
            if (sb.length() > 0) sb.append(',');
            sb.append(c.strip()).append(':').append(when);
        }
        return sb.toString();
    }

    private void readJar(Path jar) throws IOException {
        classpath.add(jar);
        try (JarFile jf = new JarFile(jar.toFile())) {
            Manifest m = jf.getManifest();
            if (m == null) throw fail(jar + " has no manifest");
            String main = m.getMainAttributes().getValue("Main-Class");
            if (mainClass == null) mainClass = main;
            String cp = m.getMainAttributes().getValue("Class-Path");
            if (cp != null) {
                for (String entry : cp.trim().split("\\s+")) {
                    if (!entry.isEmpty()) classpath.add(jar.getParent().resolve(entry).normalize());
                }
            }
        }
    }

    /** META-INF/native-image: Args of native-image.properties, and the config files as builder resources. */
    private void readMetaInf(Path entry) throws IOException {
        if (Files.isDirectory(entry)) {
            Path root = entry.resolve("META-INF/native-image");
            if (!Files.isDirectory(root)) return;
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    metaInfFile(entry, entry.relativize(f).toString(), Files.readString(f));
                }
            }
        } else if (Files.isRegularFile(entry) && entry.toString().endsWith(".jar")) {
            try (JarFile jf = new JarFile(entry.toFile())) {
                for (var e : jf.stream().filter(e -> !e.isDirectory() && e.getName().startsWith("META-INF/native-image/")).toList()) {
                    try (InputStream in = jf.getInputStream(e)) {
                        metaInfFile(entry, e.getName(), new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
            }
        }
    }

    private void metaInfFile(Path origin, String name, String text) throws IOException {
        String file = name.substring(name.lastIndexOf('/') + 1);
        for (Pattern[] ex : excludedConfigs) {
            if (ex[0].matcher(origin.toString()).find() && ex[1].matcher("/" + name).find()) return;
        }
        if (file.equals("native-image.properties")) {
            Properties p = new Properties();
            p.load(new StringReader(text));
            String args = p.getProperty("Args");
            if (args != null) {
                for (String a : args.trim().split("\\s+")) {
                    if (a.isEmpty()) continue;
                    if (a.startsWith("-H:") || a.startsWith("-R:")) builderArgs.add(a); else if (a.startsWith("-J")) jvmArgs.add(a.substring(2)); else driverOption(a);
                }
            }
            String javaArgs = p.getProperty("JavaArgs");
            if (javaArgs != null) {
                for (String a : javaArgs.trim().split("\\s+")) if (!a.isEmpty()) jvmArgs.add(a);
            }
        } else if (CONFIG_RESOURCES.containsKey(file)) {
            builderArgs.add("-H:" + CONFIG_RESOURCES.get(file) + "=" + name);
        }
    }

    private int startBuilder() throws IOException, InterruptedException {
        Path builder = home.resolve("lib/svm/builder");
        List<String> modules = new ArrayList<>();
        String compiler = null;
        // PGHA_NATIVE_DRY_RUN=1: print the builder's command, one word a line, instead of running it (NativeImageDriverTest).
        boolean dryRun = "1".equals(System.getenv("PGHA_NATIVE_DRY_RUN"));
        if (dryRun && !Files.isDirectory(builder)) compiler = "compiler.jar";
        else try (Stream<Path> jars = Files.list(builder)) {
            for (Path j : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                if (j.getFileName().toString().startsWith("compiler-")) compiler = j.toString(); else modules.add(j.toString());
            }
        }
        if (compiler == null) throw fail("no compiler-*.jar in " + builder + "; run deploy/local/native-builder again");
        List<String> cmd = new ArrayList<>();
        cmd.add(home.resolve("bin/java").toString());
        cmd.addAll(List.of("-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI", "-XX:-UseJVMCICompiler",
                "-XX:+UseParallelGC", "-Xss10m", "-Xshare:off", "--enable-native-access=org.graalvm.nativeimage.builder",
                "-Dorg.graalvm.version=" + version, "-Dorg.graalvm.nativeimage.imagecode=buildtime",
                // GraalVM's driver tells the builder its vendor version; Quarkus's Feature parses it in
                // beforeAnalysis (GraalVM.Version.getCurrent) and fails the build without it.
                "-Dorg.graalvm.vendorversion=GraalVM CE " + fullVersion(version), "-Dorg.graalvm.vendor=GraalVM Community",
                "-Djdk.internal.lambda.disableEagerInitialization=true",
                "-Djava.system.class.loader=com.oracle.svm.hosted.NativeImageSystemClassLoader",
                "--add-modules=ALL-SYSTEM"));
        for (ModuleReference r : ModuleFinder.ofSystem().findAll()) {
            ModuleDescriptor d = r.descriptor();
            for (String p : d.packages()) cmd.add("--add-exports=" + d.name() + "/" + p + "=" + BUILDER_MODULES);
        }
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("--upgrade-module-path", compiler, "--module-path", String.join(":", modules), "-m", BUILDER));
        StringBuilder cp = new StringBuilder();
        for (Path p : classpath) cp.append(cp.length() == 0 ? "" : ":").append(p);
        cmd.addAll(List.of("-imagecp", cp.toString()));
        Path clib = home.resolve("lib/svm/clibraries/linux-amd64");
        Path nativeLib = home.resolve("lib/svm/native-lib");
        cmd.addAll(List.of("-H:Path=" + Path.of("").toAbsolutePath(), "-H:Name=" + imageName, "-H:Class=" + mainClass,
                "-H:CLibraryPath=" + clib, "-H:ImageBuildID=" + UUID.randomUUID(),
                // The JDK's JNI libraries are shared objects here (native-lib/), found beside the binary first.
                "-H:NativeLinkerOption=-Wl,-rpath,$ORIGIN/native-lib:" + nativeLib));
        cmd.addAll(builderArgs);
        if (dryRun) {
            cmd.forEach(System.out::println);
            return 0;
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        // Temurin 25 is not a labs JDK: its JVMCI is older than the one Graal 25.0.x asks for, and the parts
        // native-image uses are present (checked by building and running the agent).
        pb.environment().put("JVMCI_VERSION_CHECK", "ignore");
        if (System.getenv("PGHA_NATIVE_VERBOSE") != null) System.err.println(String.join(" ", cmd));
        int rc = pb.start().waitFor();
        if (rc == 0) copyNativeLibs(nativeLib, Path.of("").toAbsolutePath().resolve("native-lib"));
        return rc;
    }

    private static void copyNativeLibs(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> libs = Files.list(from)) {
            for (Path l : libs.toList()) Files.copy(l, to.resolve(l.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static IllegalArgumentException fail(String message) {
        System.err.println("pgha native-image: " + message);
        System.exit(2);
        return new IllegalArgumentException(message);
    }
}
