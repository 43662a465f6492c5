package io.pgha.agent.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * The operator's flag file end to end: with it present every role answers maint, even though every probe
 * fails, because the operator's intent is what HAProxy should see (it stops health checks on MAINT).
 */
@QuarkusTest
@TestProfile(MaintenanceFlagTest.FlagPresent.class)
class MaintenanceFlagTest {

    public static class FlagPresent implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path flag = Files.createTempFile("pgha-maintenance", ".flag");
                flag.toFile().deleteOnExit();
                return Map.of("pgha.maintenance.flag-file", flag.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Inject
    VerdictStore store;

    @Inject
    AgentCheckLifecycle agentCheck;

    @Test
    void everyRoleAnswersMaint() throws Exception {
        for (int i = 0; i < 100 && !store.fresh(); i++) {
            Thread.sleep(50);
        }
        for (String role : new String[] {"primary\n", "replica\n", "any\n"}) {
            assertEquals("maint\n", AgentCheckClient.ask("127.0.0.1", agentCheck.port(), role, 2000), role);
        }
        given().get("/primary").then().statusCode(503).body(startsWith("maint maintenance flag"));
        assertTrue(store.current().any().reason().contains("maintenance flag"));
    }
}
