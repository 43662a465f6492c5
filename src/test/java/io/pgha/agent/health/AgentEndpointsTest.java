package io.pgha.agent.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgha.agent.haproxy.AgentCheckClient;
import io.pgha.agent.haproxy.AgentCheckLifecycle;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole agent with every probe pointed at a closed loopback port: it must boot, keep cycling, and answer
 * down / 503 everywhere while staying live and ready itself.
 */
@QuarkusTest
class AgentEndpointsTest {

    @Inject
    VerdictStore store;

    @Inject
    AgentCheckLifecycle agentCheck;

    @BeforeEach
    void waitForACycle() throws InterruptedException {
        for (int i = 0; i < 100 && !store.fresh(); i++) {
            Thread.sleep(50);
        }
        assertTrue(store.fresh(), "the loop never produced a snapshot");
    }

    @Test
    void patroniStyleChecksAre503() {
        for (String path : new String[] {"/primary", "/replica", "/health"}) {
            given().get(path).then().statusCode(503).body(startsWith("down "));
            given().head(path).then().statusCode(503).body(emptyString());
        }
        given().post("/primary").then().statusCode(405);
    }

    @Test
    void theOtherReadingEndpointsAnswerJson() {
        given().get("/fast-path").then().statusCode(200).contentType(startsWith("application/json"))
                .body("running", equalTo(false))
                .body("off", containsString("pgha.fast-path.enabled"));
        given().get("/reinit").then().statusCode(200).body("enabled", equalTo(false));
        // No admin token in this profile: admin routes are refused before they run, with the reason.
        given().post("/reinit/pause").then().statusCode(403).body(containsString("admin"));
        given().get("/hook").then().statusCode(404).body("error", containsString("not a hook"));
        given().get("/status").then().contentType(startsWith("application/json"));
        given().get("/primary").then().contentType(startsWith("text/plain"));
    }

    @Test
    void statusShowsWhyEverythingIsDown() {
        given().get("/status").then().statusCode(200)
                .body("fresh", equalTo(true))
                .body("verdicts.primary.word", equalTo("down"))
                .body("verdicts.primary.reason", containsString("Patroni API refused the connection"))
                .body("verdicts.replica.word", equalTo("down"))
                .body("verdicts.any.word", equalTo("down"))
                .body("snapshot.patroni.probe.outcome", equalTo("REFUSED"))
                .body("snapshot.postgres.probe.outcome", equalTo("REFUSED"));
    }

    @Test
    void theAgentItselfIsLiveAndReady() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void agentCheckAnswersDownForEveryRole() throws Exception {
        int port = agentCheck.port();
        for (String role : new String[] {"primary\n", "replica\n", "any\n", null}) {
            String reply = AgentCheckClient.ask("127.0.0.1", port, role, 2000);
            assertTrue(reply.startsWith("down #"), role + " -> " + reply);
        }
        String bad = AgentCheckClient.ask("127.0.0.1", port, "\u0000\u0001garbage\n", 2000);
        assertTrue(bad.equals("down #bad request\n"), bad);
    }

    @Test
    void metricsArePrefixed() throws Exception {
        AgentCheckClient.ask("127.0.0.1", agentCheck.port(), "primary\n", 2000);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("pgha_probe_errors_total{outcome=\"refused\",target=\"patroni\"}"))
                .body(containsString("pgha_probe_duration_seconds_count{target=\"etcd\"}"))
                .body(containsString("pgha_agent_check_replies_total{role=\"primary\",word=\"down\"}"))
                .body(containsString("pgha_snapshot_age_seconds"))
                .body(containsString("pgha_role{role=\"unknown\"} 1.0"))
                .body(containsString("pgha_replay_lag_bytes"));
    }
}
