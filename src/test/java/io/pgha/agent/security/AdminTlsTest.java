package io.pgha.agent.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * pgha.admin.require-tls: with TLS on the agent's HTTP server (a self-signed certificate made by keytool),
 * the right token over plain HTTP is refused with 403 and accepted over HTTPS; a wrong token over HTTPS is
 * still an empty 401. Reading endpoints keep answering on plain HTTP.
 */
@QuarkusTest
@TestProfile(AdminTlsTest.WithTls.class)
class AdminTlsTest {

    static final String TOKEN = "tls-admin-token-0123456789";
    static final Path DIR = io.pgha.agent.TempDirs.deleteAtExit(
            AdminEndpointsTest.DIR.resolveSibling(AdminEndpointsTest.DIR.getFileName() + "-tls"));

    public static class WithTls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Files.createDirectories(DIR);
                Path store = DIR.resolve("agent.p12");
                Files.deleteIfExists(store);
                Process keytool = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                        "-genkeypair", "-alias", "agent", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                        "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                        "-keystore", store.toString(), "-storepass", "test-store-pass", "-keypass", "test-store-pass"))
                        .redirectErrorStream(true).start();
                if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                    throw new IllegalStateException("keytool failed: " + new String(keytool.getInputStream().readAllBytes()));
                }
                Path token = Files.writeString(DIR.resolve("admin-token"), TOKEN + "\n");
                return Map.of("quarkus.tls.key-store.p12.path", store.toString(),
                        "quarkus.tls.key-store.p12.password", "test-store-pass",
                        "quarkus.http.test-ssl-port", "0",
                        "pgha.admin.token-file", token.toString(),
                        "pgha.admin.require-tls", "true",
                        "pgha.maintenance.flag-file", DIR.resolve("maintenance").toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @TestHTTPResource(value = "/maintenance", tls = true)
    URL https;

    @Test
    void theTokenIsAcceptedOnlyOverHttps() {
        assertEquals("https", https.getProtocol());
        given().header("Authorization", "Bearer " + TOKEN).post("/maintenance").then().statusCode(403)
                .body(equalTo("admin endpoints need HTTPS: pgha.admin.require-tls [PGHA_ADMIN_REQUIRE_TLS] is set\n"));
        assertFalse(Files.exists(DIR.resolve("maintenance")));

        given().relaxedHTTPSValidation().header("Authorization", "Bearer wrong-token-0000000000")
                .post(https).then().statusCode(401).body(emptyString());
        given().relaxedHTTPSValidation().header("Authorization", "Bearer " + TOKEN)
                .post(https).then().statusCode(200).body(startsWith("maintenance on"));
        assertTrue(Files.exists(DIR.resolve("maintenance")));
        given().relaxedHTTPSValidation().header("Authorization", "Bearer " + TOKEN)
                .delete(https).then().statusCode(200).body(startsWith("maintenance off"));
        given().get("/status").then().statusCode(200);
    }
}
