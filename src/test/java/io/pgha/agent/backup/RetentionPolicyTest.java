package io.pgha.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgha.agent.backup.RetentionPolicy.Entry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What retention deletes: keep 3, keep 7 days; the newest good backup per database survives every row. */
class RetentionPolicyTest {

    static final Instant NOW = Instant.parse("2026-11-26T03:00:00Z");

    static Entry good(String id, String db, int daysAgo) {
        return new Entry(id, db, NOW.minus(Duration.ofDays(daysAgo)), true);
    }

    static Entry bad(String id, String db, int daysAgo) {
        return new Entry(id, db, NOW.minus(Duration.ofDays(daysAgo)), false);
    }

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("nothing", List.of(), List.of(), "nothing to delete"),
                Arguments.of("within both limits", List.of(good("a", "db", 1), good("b", "db", 2), good("c", "db", 3)),
                        List.of(), "nothing to delete"),
                Arguments.of("count: the fourth newest goes",
                        List.of(good("a", "db", 1), good("b", "db", 2), good("c", "db", 3), good("d", "db", 4)),
                        List.of("d"), "db: 1 beyond the newest 3, 0 older than PT168H"),
                Arguments.of("age: older than 7 days goes", List.of(good("a", "db", 1), good("b", "db", 8)),
                        List.of("b"), "0 beyond the newest 3, 1 older than PT168H"),
                Arguments.of("the only backup is 30 days old: kept",
                        List.of(good("old", "db", 30)), List.of(), "nothing to delete"),
                Arguments.of("all too old: the newest good stays",
                        List.of(good("x", "db", 10), good("y", "db", 20), good("z", "db", 30)), List.of("y", "z"),
                        "newest good x kept"),
                Arguments.of("failed newest never counts as the newest good",
                        List.of(bad("f", "db", 0), good("x", "db", 10), good("y", "db", 20)), List.of("y"),
                        "newest good x kept"),
                Arguments.of("failed older than the newest good is superseded",
                        List.of(good("a", "db", 1), bad("f", "db", 2)), List.of("f"), "1 failed ones superseded"),
                Arguments.of("only failed backups: all kept for inspection",
                        List.of(bad("f1", "db", 1), bad("f2", "db", 40)), List.of(), "nothing to delete"),
                Arguments.of("databases counted separately",
                        List.of(good("a1", "a", 1), good("a2", "a", 2), good("a3", "a", 3), good("b1", "b", 40),
                                good("a4", "a", 4)),
                        List.of("a4"), "a: 1 beyond the newest 3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decide(String name, List<Entry> entries, List<String> deleted, String reason) {
        RetentionPolicy.Retention r = new RetentionPolicy(3, Duration.ofDays(7)).decide(entries, NOW);
        assertEquals(deleted, r.delete(), r.reason());
        assertTrue(r.reason().contains(reason), r.reason());
    }

    @ParameterizedTest(name = "keep-count {0} still keeps the newest")
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1, -5})
    void countBelowOneStillKeepsTheNewest(int keep) {
        RetentionPolicy.Retention r = new RetentionPolicy(keep, Duration.ofDays(7))
                .decide(List.of(good("a", "db", 1), good("b", "db", 2)), NOW);
        assertEquals(List.of("b"), r.delete(), r.reason());
    }
}
