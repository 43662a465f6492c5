package io.pgha.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Manifests round-trip; garbage and anything that would let retention delete a foreign file is refused. */
public class BackupManifestTest {

    /** A good, verified manifest; JsonCompatTest writes it too. */
    public static BackupManifest sample() {
        return new BackupManifest(1, "pgha-agent", "20261126T030000Z-patroni2-bench", "bench", "database", "custom",
                List.of("20261126T030000Z-patroni2-bench.dump"), "patroni2", "replica", 3L, "0/5000060",
                Instant.parse("2026-11-26T03:00:00Z"), Instant.parse("2026-11-26T03:00:40Z"), 12345, 99999,
                "a".repeat(64), "pg_dump (PostgreSQL) 15.14",
                new BackupManifest.Verification(true, "pg_restore --list", 42, "42 entries"), null,
                "scheduled run 2026-11-26T03:00:00Z");
    }

    @Test
    void roundTrips() {
        BackupManifest m = sample();
        BackupManifest.Parsed p = BackupManifest.parse(m.toJson());
        assertEquals("", p.problem());
        assertEquals(m, p.manifest().orElseThrow());
        assertTrue(m.good());
    }

    @Test
    void unknownFieldsFromANewerAgentAreIgnored() {
        String json = sample().toJson().replaceFirst("\\{", "{\"future\": 1,");
        assertEquals(sample(), BackupManifest.parse(json).manifest().orElseThrow());
    }

    static Stream<Arguments> garbage() {
        String ok = sample().toJson();
        return Stream.of(
                Arguments.of("empty", "", "not a manifest"),
                Arguments.of("not JSON", "PGDMP\u0000\u0001binary", "not a manifest"),
                Arguments.of("JSON array", "[1,2]", "not a manifest"),
                Arguments.of("null", "null", "not a manifest: empty"),
                Arguments.of("truncated", ok.substring(0, ok.length() / 2), "not a manifest"),
                Arguments.of("foreign writer", ok.replace("\"pgha-agent\"", "\"barman\""), "written by barman"),
                Arguments.of("other version", ok.replace("\"version\" : 1", "\"version\" : 2"), "version 2 is not 1"),
                Arguments.of("file outside the directory",
                        ok.replace("\"20261126T030000Z-patroni2-bench.dump\"", "\"../../etc/passwd\""),
                        "file '../../etc/passwd' is not a plain name"),
                Arguments.of("absolute file", ok.replace("\"20261126T030000Z-patroni2-bench.dump\"", "\"/etc/passwd\""),
                        "is not a plain name"),
                Arguments.of("hidden file", ok.replace("\"20261126T030000Z-patroni2-bench.dump\"", "\".bashrc\""),
                        "is not a plain name"),
                Arguments.of("no files", ok.replaceAll("\"files\" : \\[[^\\]]*\\]", "\"files\" : []"),
                        "names no files"),
                Arguments.of("id with a slash", ok.replace("\"id\" : \"20261126T030000Z-patroni2-bench\"",
                        "\"id\" : \"a/b\""), "id 'a/b' is not a plain file name"),
                Arguments.of("bad checksum", ok.replace("a".repeat(64), "xyz"), "sha256 is not 64 hex digits"),
                Arguments.of("wrong type", ok.replace("\"sizeBytes\" : 12345", "\"sizeBytes\" : \"big\""),
                        "not a manifest"),
                Arguments.of("no times", ok.replaceAll("\"startedAt\" : \"[^\"]*\",", ""), "no start or end time"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void garbage(String name, String text, String problem) {
        BackupManifest.Parsed p = BackupManifest.parse(text);
        assertTrue(p.manifest().isEmpty(), name + " was accepted");
        assertTrue(p.problem().contains(problem), p.problem());
    }

    @Test
    void unverifiedIsNotGood() {
        BackupManifest m = sample();
        BackupManifest bad = new BackupManifest(1, m.writer(), m.id(), m.database(), m.kind(), m.format(), m.files(),
                m.node(), m.role(), m.timeline(), m.startLsn(), m.startedAt(), m.endedAt(), m.sizeBytes(),
                m.databaseBytes(), m.sha256(), m.pgDumpVersion(),
                new BackupManifest.Verification(false, "pg_restore --list", 0, "truncated"), null, m.run());
        assertTrue(!bad.good());
    }
}
