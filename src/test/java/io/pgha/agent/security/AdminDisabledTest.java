package io.pgha.agent.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** With no token configured (the test default), admin endpoints are refused, never open. */
@QuarkusTest
class AdminDisabledTest {

    @Test
    void everyAdminRequestIs403WithOneLineSayingWhy() {
        String why = "admin endpoints are disabled: set pgha.admin.token-file [PGHA_ADMIN_TOKEN_FILE]\n";
        given().post("/maintenance").then().statusCode(403).body(equalTo(why));
        given().header("Authorization", "Bearer anything-at-all-0123456789").delete("/maintenance")
                .then().statusCode(403).body(equalTo(why));
    }
}
