package io.pgha.agent.hook;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** In agent mode there is no hook: GET /hook says so and points at /cluster; the page carries the section. */
@QuarkusTest
class HookEndpointTest {

    @Test
    void anAgentHasNoHookViewOfItsOwn() {
        given().get("/hook").then().statusCode(404)
                .body("error", containsString("not a hook"))
                .body("error", containsString("GET /cluster"));
    }

    @Test
    void theStatusPageHasTheHaproxySectionAndItsScript() {
        given().get("/ui/").then().statusCode(200)
                .body(containsString("HAProxy (from the hook)"))
                .body(containsString("<script src=\"haproxy.js\"></script>"));
        given().get("/ui/haproxy.js").then().statusCode(200).body(containsString("function renderHooks("));
    }
}
