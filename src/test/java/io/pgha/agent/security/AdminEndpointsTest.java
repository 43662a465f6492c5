package io.pgha.agent.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgha.agent.haproxy.AgentCheckClient;
import io.pgha.agent.haproxy.AgentCheckLifecycle;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The token rules on the running agent: the token comes from a file that ends with a newline (as editors
 * write it) and an inline token is set too, to show the file wins. Maintenance is the demo admin endpoint.
 */
@QuarkusTest
@TestProfile(AdminEndpointsTest.WithTokenFile.class)
class AdminEndpointsTest {

    static final String TOKEN = "test-admin-token-0123456789";
    static final Path DIR = io.pgha.agent.TempDirs.create("pgha-admin");

    public static class WithTokenFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path file = Files.writeString(DIR.resolve("admin-token"), TOKEN + "\n");
                return Map.of("pgha.admin.token-file", file.toString(),
                        "pgha.admin.token", "inline-token-that-loses-0123",
                        "pgha.maintenance.flag-file", DIR.resolve("maintenance").toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Inject
    AgentCheckLifecycle agentCheck;

    @Test
    void withoutTheRightTokenNothingChangesAndTheAnswerIsAnEmpty401() {
        String[][] refused = {
            {},
            {"Authorization", "Bearer test-admin-token-0123456788"},          // same length, last char wrong
            {"Authorization", "Bearer test-admin-token"},                      // a prefix
            {"Authorization", "Bearer " + TOKEN + "-and-more"},                // longer
            {"Authorization", "Bearer " + TOKEN.substring(1)},                 // one character short
            {"Authorization", "Bearer inline-token-that-loses-0123"},          // the file wins
            {"Authorization", "Basic " + TOKEN},
        };
        for (String[] header : refused) {
            var req = given();
            if (header.length == 2) {
                req = req.header(header[0], header[1]);
            }
            req.post("/maintenance").then().statusCode(401).body(emptyString());
            req.delete("/maintenance").then().statusCode(401).body(emptyString());
        }
        assertFalse(Files.exists(DIR.resolve("maintenance")), "a refused request created the flag file");
    }

    @Test
    void theRightTokenEntersAndLeavesMaintenance() throws Exception {
        Path flag = DIR.resolve("maintenance");
        given().header("Authorization", "Bearer " + TOKEN).post("/maintenance").then().statusCode(200)
                .body(startsWith("maintenance on: created " + flag));
        assertTrue(Files.exists(flag));
        assertEquals("maint\n", awaitReply("maint\n"), "the health loop did not pick up the flag");
        given().header("Authorization", "Bearer " + TOKEN).post("/maintenance").then().statusCode(200)
                .body(startsWith("maintenance already on"));
        given().header("Authorization", "bearer " + TOKEN).delete("/maintenance").then().statusCode(200)
                .body(startsWith("maintenance off: removed " + flag));
        assertFalse(Files.exists(flag));
        assertTrue(awaitReply("down #").startsWith("down #"), "maintenance did not end");
    }

    @Test
    void readingEndpointsNeedNoToken() {
        given().get("/status").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
    }

    private String awaitReply(String prefix) throws Exception {
        String reply = "";
        for (int i = 0; i < 60 && !reply.startsWith(prefix); i++) {
            reply = AgentCheckClient.ask("127.0.0.1", agentCheck.port(), "primary\n", 2000);
            if (!reply.startsWith(prefix)) {
                Thread.sleep(50);
            }
        }
        return reply;
    }
}
