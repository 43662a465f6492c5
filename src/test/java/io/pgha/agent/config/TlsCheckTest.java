package io.pgha.agent.config;

import static io.pgha.agent.config.ConfigCheckTest.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS settings that are wrong must stop startup with the setting's name, not fail every probe later. */
class TlsCheckTest {

    @TempDir
    static Path dir;
    static Path ca;
    static Path key;

    /** A real CA certificate and PKCS#8 key, made the way the local cluster's TLS mode makes them. */
    @BeforeAll
    static void makeCa() throws Exception {
        ca = dir.resolve("ca.crt");
        key = dir.resolve("ca.key");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=test", "-keyout", key.toString(),
                "-out", ca.toString()).redirectErrorStream(true).start();
        assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
    }

    private static List<String> problems(Map<String, String> props) {
        return ConfigCheck.problems(config(props));
    }

    private static void assertProblem(List<String> p, String prefix, String contains) {
        assertTrue(p.stream().anyMatch(s -> s.startsWith(prefix) && s.contains(contains)), p::toString);
    }

    @Test
    void fullEtcdTlsIsValid() {
        assertEquals(List.of(), problems(Map.of("pgha.etcd.endpoints", "https://10.0.0.1:2379,https://10.0.0.2:2379",
                "pgha.etcd.ca-file", ca.toString(), "pgha.etcd.cert-file", ca.toString(), "pgha.etcd.key-file",
                key.toString(), "pgha.etcd.authority", "etcd")));
    }

    @Test
    void mixedSchemesAreRefused() {
        assertProblem(problems(Map.of("pgha.etcd.endpoints", "https://10.0.0.1:2379,http://10.0.0.2:2379")),
                "pgha.etcd.endpoints [PGHA_ETCD_ENDPOINTS]", "mixes http and https");
    }

    @Test
    void aCaForPlainEndpointsIsRefusedBecauseTheOperatorMeantTls() {
        assertProblem(problems(Map.of("pgha.etcd.ca-file", ca.toString())), "pgha.etcd.ca-file [PGHA_ETCD_CA_FILE]",
                "use https:// endpoints");
    }

    @Test
    void halfAClientCertificateNamesTheMissingHalf() {
        assertProblem(problems(Map.of("pgha.etcd.endpoints", "https://10.0.0.1:2379", "pgha.etcd.cert-file",
                ca.toString())), "pgha.etcd.key-file [PGHA_ETCD_KEY_FILE]", "needs both");
        assertProblem(problems(Map.of("pgha.etcd.endpoints", "https://10.0.0.1:2379", "pgha.etcd.key-file",
                key.toString())), "pgha.etcd.cert-file [PGHA_ETCD_CERT_FILE]", "needs both");
    }

    @Test
    void aCaFileThatIsNotACertificateIsNamed() throws IOException {
        Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate\n");
        assertProblem(problems(Map.of("pgha.etcd.endpoints", "https://10.0.0.1:2379", "pgha.etcd.ca-file",
                junk.toString())), "pgha.etcd.ca-file [PGHA_ETCD_CA_FILE]", "junk.pem");
        assertProblem(problems(Map.of("pgha.etcd.endpoints", "https://10.0.0.1:2379", "pgha.etcd.ca-file",
                dir.resolve("missing.pem").toString())), "pgha.etcd.ca-file [PGHA_ETCD_CA_FILE]", "cannot read");
    }

    @Test
    void aPkcs1KeyGetsTheConversionCommand() throws IOException {
        Path rsa = Files.writeString(dir.resolve("rsa.key"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertProblem(problems(Map.of("pgha.etcd.endpoints", "https://10.0.0.1:2379", "pgha.etcd.cert-file",
                ca.toString(), "pgha.etcd.key-file", rsa.toString())), "pgha.etcd.key-file [PGHA_ETCD_KEY_FILE]",
                "openssl pkcs8 -topk8");
    }

    @Test
    void userAndPasswordGoTogether() {
        assertProblem(problems(Map.of("pgha.etcd.user", "pgha")), "pgha.etcd.password [PGHA_ETCD_PASSWORD]",
                "is needed too");
        assertProblem(problems(Map.of("pgha.etcd.password", "x")), "pgha.etcd.user [PGHA_ETCD_USER]", "is needed too");
        assertEquals(List.of(), problems(Map.of("pgha.etcd.user", "pgha", "pgha.etcd.password", "secret-value")));
    }

    @Test
    void patroniCaNeedsAnHttpsUrl() {
        assertProblem(problems(Map.of("pgha.patroni.ca-file", ca.toString())), "pgha.patroni.ca-file [PGHA_PATRONI_CA_FILE]",
                "not https");
        assertEquals(List.of(), problems(Map.of("pgha.patroni.url", "https://10.0.0.1:8008", "pgha.patroni.ca-file",
                ca.toString())));
    }

    @Test
    void verifyModesNeedTheRootCertificate() {
        assertProblem(problems(Map.of("pgha.postgres.url", "jdbc:postgresql://10.0.0.1:5432/postgres?sslmode=verify-full")),
                "pgha.postgres.url [PGHA_POSTGRES_URL]", "needs sslrootcert");
        assertProblem(problems(Map.of("pgha.postgres.url", "jdbc:postgresql://10.0.0.1:5432/postgres?sslmode=verify-fool")),
                "pgha.postgres.url [PGHA_POSTGRES_URL]", "verify-fool");
        assertEquals(List.of(), problems(Map.of("pgha.postgres.url",
                "jdbc:postgresql://10.0.0.1:5432/postgres?sslmode=verify-full&sslrootcert=" + ca)));
    }
}
