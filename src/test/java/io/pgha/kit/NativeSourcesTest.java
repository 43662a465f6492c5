package io.pgha.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native build stays buildable without GraalVM: {@code mvn package -Dnative -Dquarkus.native.sources-only=true}
 * (what Dockerfile.native's first stage runs) must succeed and hand native-image our registrations for
 * jetcd's gRPC stack. It runs in a copy of the project so it never touches this tree's target/.
 */
class NativeSourcesTest {

    static final Path REFLECT = Kit.ROOT.resolve("src/main/resources/META-INF/native-image/io.pgha/pgha-agent/reflect-config.json");

    @Test
    void sourcesOnlyNativeBuildSucceedsWithOurRegistrations(@TempDir Path copy) throws Exception {
        Files.copy(Kit.ROOT.resolve("pom.xml"), copy.resolve("pom.xml"));
        copyTree(Kit.ROOT.resolve("src/main"), copy.resolve("src/main"));
        Path log = copy.resolve("build.log");
        // The developer's own environment (HOME finds ~/.m2 for the offline build).
        Process p = new ProcessBuilder("mvn", "-o", "-q", "-B", "package", "-Dnative",
                "-Dquarkus.native.sources-only=true", "-DskipTests")
                .directory(copy.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("native sources build took over 5 minutes");
        }
        assertEquals(0, p.exitValue(), () -> "native sources build failed:\n" + Kit.text(log));

        Path sources = copy.resolve("target/native-sources");
        String args = Kit.text(sources.resolve("native-image.args"));
        assertTrue(args.contains("--initialize-at-run-time=io.grpc.netty,io.grpc.internal.RetriableStream,io.etcd.jetcd"),
                args);
        // Quarkus turns off GraalVM's ServiceLoader feature (-H:-UseServiceLoaderFeature), so the service files
        // must be included as resources and the providers registered (reflect-config.json).
        assertTrue(args.contains("-H:-UseServiceLoaderFeature"), args);
        Path runner;
        try (Stream<Path> files = Files.list(sources)) {
            runner = files.filter(f -> f.getFileName().toString().endsWith("-runner.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no runner jar in " + sources));
        }
        try (ZipFile jar = new ZipFile(runner.toFile())) {
            assertTrue(jar.getEntry("META-INF/native-image/io.pgha/pgha-agent/reflect-config.json") != null,
                    "reflect-config.json is not in " + runner);
            String resources = new String(jar.getInputStream(jar.getEntry("META-INF/native-image/resource-config.json"))
                    .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(resources.contains("META-INF/services/io\\\\.grpc"), "gRPC's service files are not resources: " + resources);
            assertTrue(resources.contains("java\\\\.sql\\\\.Driver"), "the JDBC driver's service file is not a resource: " + resources);
        }
        // Dockerfile.native's builder must be the GraalVM/Mandrel major the arguments were generated for.
        String graal = Kit.text(sources.resolve("graalvm.version")).strip();
        String major = graal.substring(0, graal.indexOf('.'));
        assertTrue(Kit.text(Kit.ROOT.resolve("src/main/docker/Dockerfile.native"))
                .contains("quarkus-mandrel-builder-image:jdk-" + major + " AS build"),
                "native-image.args target GraalVM " + graal + "; use the jdk-" + major + " Mandrel builder");
    }

    /** Every protobuf message of jetcd's API (and its builder) is registered: a missing one fails at run time only. */
    @Test
    void reflectConfigCoversEveryJetcdMessageAndGrpcProvider() throws IOException, URISyntaxException {
        Set<String> registered = new TreeSet<>();
        for (JsonNode entry : new ObjectMapper().readTree(REFLECT.toFile())) {
            registered.add(entry.get("name").asText());
        }
        Path jetcdApi = Path.of(io.etcd.jetcd.api.RangeRequest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> missing = new ArrayList<>();
        try (ZipFile jar = new ZipFile(jetcdApi.toFile())) {
            jar.stream().map(e -> e.getName())
                    .filter(n -> n.startsWith("io/etcd/jetcd/api/") && n.endsWith(".class") && !n.contains("Grpc"))
                    .map(n -> n.substring(0, n.length() - 6).replace('/', '.'))
                    .filter(n -> !registered.contains(n)).forEach(missing::add);
        }
        assertEquals(List.of(), missing, "jetcd API classes missing from " + REFLECT);
        for (String provider : List.of("io.grpc.netty.NettyChannelProvider", "io.grpc.internal.PickFirstLoadBalancerProvider",
                "io.grpc.internal.DnsNameResolverProvider", "io.etcd.jetcd.resolver.HttpResolverProvider",
                "io.etcd.jetcd.resolver.HttpsResolverProvider", "org.postgresql.Driver", "org.postgresql.ssl.LibPQFactory",
                "org.postgresql.ssl.PGjdbcHostnameVerifier")) {
            assertTrue(registered.contains(provider), provider + " is not registered");
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
