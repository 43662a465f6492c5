package io.pgha.agent.backup;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The agent with backups on, a planted backup directory and etcd pointing at a closed port: startup sweeps
 * partial files (and only those), GET lists manifests and refuses garbage, the admin endpoints refuse without
 * the token, and a run that cannot claim in etcd fails loudly in the backup health group.
 */
@QuarkusTest
@TestProfile(BackupEndpointsTest.Planted.class)
class BackupEndpointsTest {

    static final Path DIR;
    static final Path TOKEN;

    static {
        try {
            Path root = io.pgha.agent.TempDirs.create("pgha-backup-test");
            DIR = Files.createDirectory(root.resolve("backups"));
            TOKEN = Files.writeString(root.resolve("token"), "backup-test-token-0123456789\n");
            BackupManifest m = BackupManifestTest.sample();
            Files.writeString(DIR.resolve(m.files().get(0)), "PGDMP...");
            Files.writeString(DIR.resolve(m.id() + BackupManifest.SUFFIX), m.toJson());
            Files.writeString(DIR.resolve("junk" + BackupManifest.SUFFIX), "{not json");
            Files.writeString(DIR.resolve(".pgha-partial-20261126T040000Z-x-bench.dump"), "half a dump");
            Files.writeString(DIR.resolve("operator-notes.txt"), "mine");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static class Planted implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pgha.backup.dir", DIR.toString(), "pgha.admin.token-file", TOKEN.toString(),
                    "pgha.backup.databases", "bench");
        }
    }

    @Test
    void startupSweptOnlyThePartialFile() {
        assertFalse(Files.exists(DIR.resolve(".pgha-partial-20261126T040000Z-x-bench.dump")));
        assertTrue(Files.exists(DIR.resolve("operator-notes.txt")));
    }

    @Test
    void listsManifestsAndRefusesGarbage() {
        String id = BackupManifestTest.sample().id();
        given().get("/backups").then().statusCode(200)
                .body("node", equalTo("test-node"))
                .body("facts.lastGoodId", equalTo(id))
                .body("backups", hasSize(2))
                .body("backups[0].manifest.id", equalTo(id))
                .body("backups[0].good", equalTo(true))
                .body("backups[1].file", equalTo("junk.manifest.json"))
                .body("backups[1].refused", containsString("not a manifest"));
    }

    @Test
    void adminEndpointsNeedTheToken() {
        given().post("/backups").then().statusCode(401).body(org.hamcrest.Matchers.emptyString());
        given().header("Authorization", "Bearer wrong").post("/backups").then().statusCode(401);
        given().header("Authorization", "Bearer wrong").post("/backups/x/restore-drill").then().statusCode(401);
    }

    @Test
    void badRequestsAreNamed() {
        String token = "Bearer backup-test-token-0123456789";
        given().header("Authorization", token).queryParam("wait", "soon").post("/backups").then().statusCode(400)
                .body("error", equalTo("query parameter wait is not a whole number: soon"));
        given().header("Authorization", token).post("/backups/..%2Fetc/restore-drill").then().statusCode(400)
                .body("error", startsWith("not a backup id: "));
        given().put("/backups").then().statusCode(405);
    }

    @Test
    void drillOfAnUnknownIdIsRefused() {
        given().header("Authorization", "Bearer backup-test-token-0123456789").queryParam("wait", 10)
                .post("/backups/20200101T000000Z-none-bench/restore-drill").then().statusCode(409)
                .body("outcome", equalTo("refused"))
                .body("message", containsString("no good database backup with that id"));
    }

    @Test
    void aRunThatCannotClaimFailsLoudly() {
        given().header("Authorization", "Bearer backup-test-token-0123456789").queryParam("wait", 30).post("/backups").then()
                .statusCode(500)
                .body("outcome", equalTo("failed"))
                .body("message", containsString("cannot take the backup lock in etcd"));
        given().get("/q/health/group/backup").then().statusCode(503)
                .body("checks[0].data.lastFailure", containsString("cannot take the backup lock"));
        // Readiness and liveness stay up: a failed backup must not pull or restart the router.
        given().get("/q/health/ready").then().statusCode(200);
    }
}
