package io.pgha.agent.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The codec on its own: what it writes, what it refuses to parse, how lenient Node is, how records are read. */
class JsonTest {

    private final Json json = new Json();

    enum Level { LOW, HIGH }

    record Ordered(String z, int a, String m) {
    }

    record Plain(String a, Integer b) {
    }

    @OmitNulls
    record Sparse(String a, Integer b, String c) {
    }

    record Inner(int count, String label) {
    }

    record Outer(Inner inner, List<Inner> items, Map<String, Inner> byName, Map<Level, Long> byLevel, Level level,
            Optional<String> note, Instant at, Duration took, int n, long big, boolean flag, Long boxed, Object raw) {
    }

    record Positive(int value) {
        Positive {
            if (value < 0) {
                throw new IllegalArgumentException("negative: " + value);
            }
        }
    }

    record Holder(Positive p) {
    }

    static final class NotJson {
    }

    static Stream<Arguments> written() {
        Map<Level, Long> byLevel = new LinkedHashMap<>();
        byLevel.put(Level.HIGH, 2L);
        byLevel.put(Level.LOW, 1L);
        return Stream.of(
                arguments(new Ordered("z", 1, "m"), "{\"z\":\"z\",\"a\":1,\"m\":\"m\"}"),
                arguments(new Plain(null, 1), "{\"a\":null,\"b\":1}"),
                arguments(new Sparse(null, 1, null), "{\"b\":1}"),
                arguments(new Sparse(null, null, null), "{}"),
                arguments(byLevel, "{\"HIGH\":2,\"LOW\":1}"),
                arguments(List.of(1, "x", true), "[1,\"x\",true]"),
                arguments(new TreeSet<>(List.of("b", "a")), "[\"a\",\"b\"]"),
                arguments(new String[] {"a", null}, "[\"a\",null]"),
                arguments(Level.HIGH, "\"HIGH\""),
                arguments(Instant.parse("2026-11-26T18:00:00.123Z"), "\"2026-11-26T18:00:00.123Z\""),
                arguments(Duration.ofMillis(1500), "1.500000000"),
                arguments(Duration.ofSeconds(5), "5.000000000"),
                arguments(Duration.ZERO, "0.0"),
                arguments(Optional.empty(), "null"),
                arguments(Optional.of(List.of("x")), "[\"x\"]"),
                arguments(Long.MAX_VALUE, "9223372036854775807"),
                arguments(-3, "-3"),
                arguments(1.5d, "1.5"),
                arguments(false, "false"),
                arguments(null, "null"),
                arguments("q\"b\\s\n\t\u0001é€", "\"q\\\"b\\\\s\\n\\t\\u0001é€\""));
    }

    @ParameterizedTest
    @MethodSource("written")
    void writes(Object value, String expected) {
        assertEquals(expected, json.writeString(value));
    }

    @Test
    void nonAsciiIsWrittenAsUtf8NotEscaped() {
        assertEquals(Arrays.toString("\"é€\"".getBytes(StandardCharsets.UTF_8)), Arrays.toString(json.write("é€")));
    }

    @Test
    void typesWithNoJsonFormFailLoudly() {
        assertThrows(IllegalArgumentException.class, () -> json.write(new Object()));
        assertThrows(IllegalArgumentException.class, () -> json.write(new NotJson()));
        // Deep inside a document too: half a value in etcd would be worse than none.
        assertThrows(IllegalArgumentException.class, () -> json.write(Map.of("k", List.of(new NotJson()))));
    }

    @Test
    void prettyIsIndentedAndTheSameDocument() throws IOException {
        Object value = Map.of("inner", new Inner(3, "x"), "list", List.of(1, 2));
        String pretty = json.writePretty(value);
        assertTrue(pretty.lines().count() > 3, pretty);
        assertTrue(pretty.contains("\n  \"inner\" : {"), pretty);
        assertEquals(json.parse(json.write(value)), json.parse(pretty));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "", "   ", "nul", "{} {}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "NaN", "'a'", "\u0000",
        "\"\\x\"", "00", "-", "[1 2]"})
    void garbageIsAnIOException(String text) {
        assertThrows(IOException.class, () -> json.parse(text));
        assertThrows(IOException.class, () -> json.parse(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void nestingIsBounded() throws IOException {
        assertEquals(1L, flatten(json.parse("[".repeat(64) + "1" + "]".repeat(64))));
        assertThrows(IOException.class, () -> json.parse("[".repeat(100) + "]".repeat(100)));
        assertThrows(IOException.class, () -> json.parse("{\"a\":".repeat(100) + "1" + "}".repeat(100)));
    }

    private static Object flatten(Node n) {
        Object v = n.value();
        while (v instanceof List<?> l) {
            v = l.get(0);
        }
        return v;
    }

    @Test
    void binaryBytesAreAnIOExceptionNeverAnythingElse() {
        Random random = new Random(7); // fixed seed: the same inputs on every run
        for (int i = 0; i < 5_000; i++) {
            byte[] bytes = new byte[1 + random.nextInt(24)];
            random.nextBytes(bytes);
            bytes[0] = (byte) "{[\"\u00ff".charAt(i % 4); // a plausible start, so the parser gets past byte one
            bytes[bytes.length - 1] = 1; // a raw control character is invalid anywhere: never a valid document
            assertThrows(IOException.class, () -> json.parse(bytes), () -> Arrays.toString(bytes));
        }
    }

    @Test
    void pathNeverReturnsNull() throws IOException {
        Node doc = json.parse("{\"a\":1,\"n\":null,\"o\":{\"b\":\"x\"}}");
        assertTrue(doc.path("missing").isMissing());
        assertTrue(doc.path("a").path("b").isMissing(), "field of a number");
        assertTrue(doc.path("missing").path("deeper").isMissing());
        assertTrue(json.parse("[1]").path("a").isMissing());
        assertEquals("x", doc.path("o").path("b").asText(null));
        assertFalse(doc.path("n").isMissing(), "JSON null is there");
        assertFalse(doc.path("n").isValue());
        assertTrue(doc.has("a") && doc.has("o"));
        assertFalse(doc.has("n") || doc.has("missing"));
        assertTrue(doc.isObject() && !doc.path("a").isObject() && doc.path("a").isNumber());
    }

    static Stream<Arguments> lenient() {
        // field "v" of {"v": <json>}: asText, asLong, asBoolean with fallbacks "fb", -1 and false/true
        return Stream.of(
                arguments("\"x\"", "x", -1L, null),
                arguments("\" 42 \"", " 42 ", 42L, null),
                arguments("\"-7\"", "-7", -7L, null),
                arguments("\"12abc\"", "12abc", -1L, null),
                arguments("5", "5", 5L, true),
                arguments("0", "0", 0L, false),
                arguments("2.9", "2.9", 2L, null),
                arguments("99999999999999999999", "99999999999999999999", -1L, null),
                arguments("true", "true", -1L, true),
                arguments("\"false\"", "false", -1L, false),
                arguments("\"yes\"", "yes", -1L, null),
                arguments("null", "fb", -1L, null),
                arguments("{}", "fb", -1L, null),
                arguments("[1]", "fb", -1L, null));
    }

    @ParameterizedTest
    @MethodSource("lenient")
    void accessorsFallBack(String v, String text, long number, Boolean bool) throws IOException {
        Node n = json.parse("{\"v\":" + v + "}").path("v");
        assertEquals(text, n.asText("fb"));
        assertEquals(number, n.asLong(-1));
        // null = neither true nor false: the fallback comes back, whichever it is
        assertEquals(bool == null || bool, n.asBoolean(true));
        assertEquals(bool != null && bool, n.asBoolean(false));
        Node missing = n.path("nothing");
        assertEquals("fb", missing.asText("fb"));
        assertEquals(-1L, missing.asLong(-1));
    }

    @Test
    void wholeNumbers() throws IOException {
        Node doc = json.parse("[3, 3.0, 3.5, \"3\", 1e19, -2, null]");
        List<Boolean> whole = new ArrayList<>();
        doc.forEach(n -> whole.add(n.isWholeNumber()));
        assertEquals(List.of(true, true, false, false, false, true, false), whole);
    }

    @Test
    void iteratesArrayElementsAndObjectValuesInOrder() throws IOException {
        List<Long> seen = new ArrayList<>();
        json.parse("[3,1,2]").forEach(n -> seen.add(n.asLong(0)));
        json.parse("{\"z\":9,\"a\":8}").forEach(n -> seen.add(n.asLong(0)));
        json.parse("\"text\"").forEach(n -> seen.add(-1L));
        json.parse("{}").path("missing").forEach(n -> seen.add(-1L));
        assertEquals(List.of(3L, 1L, 2L, 9L, 8L), seen);
    }

    private static Outer full() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("a", Arrays.asList(1L, 2.5, "x", null, true));
        raw.put("o", Map.of("k", "v"));
        return new Outer(new Inner(3, "three"), List.of(new Inner(1, null), new Inner(2, "b")),
                Map.of("x", new Inner(7, "seven")), Map.of(Level.LOW, 4L, Level.HIGH, 5L), Level.HIGH,
                Optional.of("hello"), Instant.parse("2026-11-26T18:00:00.123Z"), Duration.ofMillis(1500), -5,
                1L << 40, true, 9L, raw);
    }

    @Test
    void readsRecordsAndIgnoresUnknownFields() throws IOException {
        String doc = "{\"future\":[1,{}],\"inner\":{\"count\":3,\"label\":\"three\",\"extra\":true},"
                + "\"items\":[{\"count\":1},{\"count\":2,\"label\":\"b\"}],\"byName\":{\"x\":{\"count\":7,"
                + "\"label\":\"seven\"}},\"byLevel\":{\"LOW\":4,\"HIGH\":5},\"level\":\"HIGH\",\"note\":\"hello\","
                + "\"at\":\"2026-11-26T18:00:00.123Z\",\"took\":1.500000000,\"n\":-5,\"big\":1099511627776,"
                + "\"flag\":true,\"boxed\":9,\"raw\":{\"a\":[1,2.5,\"x\",null,true],\"o\":{\"k\":\"v\"}}}";
        assertEquals(full(), json.read(doc, Outer.class));
        assertEquals(full(), json.read(json.write(full()), Outer.class), "round trip");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"inner\":null,\"items\":null,\"note\":null,\"n\":null,\"flag\":null,\"raw\":null}"})
    void missingFieldsAreNullZeroFalseOrEmpty(String doc) throws IOException {
        assertEquals(new Outer(null, null, null, null, null, Optional.empty(), null, null, 0, 0, false, null, null),
                json.read(doc, Outer.class));
    }

    @Test
    void scalarsTakeTheirTextForm() throws IOException {
        Outer o = json.read("{\"n\":\"42\",\"boxed\":\" 7 \",\"flag\":\"true\",\"took\":\"PT2S\"}", Outer.class);
        assertEquals(List.of(42, 7L, true, Duration.ofSeconds(2)), List.of(o.n(), o.boxed(), o.flag(), o.took()));
    }

    static Stream<Arguments> wrongShapes() {
        return Stream.of(
                arguments("{\"inner\":\"x\"}", "Outer.inner"),
                arguments("{\"inner\":{\"count\":\"many\"}}", "Outer.inner.count"),
                arguments("{\"inner\":{\"count\":3000000000}}", "Outer.inner.count"),
                arguments("{\"inner\":{\"count\":18446744073709551617}}", "Outer.inner.count"),
                arguments("{\"inner\":{\"label\":{}}}", "Outer.inner.label"),
                arguments("{\"items\":{}}", "Outer.items"),
                arguments("{\"items\":[{\"count\":1},{\"count\":[]}]}", "Outer.items[1].count"),
                arguments("{\"byName\":{\"a\":{\"count\":true}}}", "Outer.byName.a.count"),
                arguments("{\"byLevel\":{\"MEDIUM\":1}}", "Outer.byLevel.MEDIUM"),
                arguments("{\"byLevel\":{\"LOW\":\"x\"}}", "Outer.byLevel.LOW"),
                arguments("{\"level\":\"low\"}", "Outer.level"),
                arguments("{\"note\":{}}", "Outer.note"),
                arguments("{\"at\":\"yesterday\"}", "Outer.at"),
                arguments("{\"at\":1e20}", "Outer.at"),
                arguments("{\"took\":\"soon\"}", "Outer.took"),
                arguments("{\"n\":\"NaN\"}", "Outer.n"),
                arguments("{\"big\":1e20}", "Outer.big"),
                arguments("{\"flag\":\"yes\"}", "Outer.flag"),
                arguments("{\"boxed\":\"12abc\"}", "Outer.boxed"),
                arguments("[]", "Outer"));
    }

    @ParameterizedTest
    @MethodSource("wrongShapes")
    void wrongShapesAreIOExceptionsNamingTheField(String doc, String path) {
        IOException e = assertThrows(IOException.class, () -> json.read(doc, Outer.class));
        assertTrue(e.getMessage().startsWith(path + ":"), e.getMessage());
    }

    @Test
    void aRefusingConstructorIsAnIOExceptionNotACrash() throws IOException {
        assertEquals(new Positive(2), json.read("{\"value\":2}", Positive.class));
        IOException e = assertThrows(IOException.class, () -> json.read("{\"p\":{\"value\":-1}}", Holder.class));
        assertTrue(e.getMessage().startsWith("Holder.p:") && e.getMessage().contains("negative: -1"), e.getMessage());
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
    }

    @Test
    void treesHoldLongsAndDoublesAndEqualAParse() throws IOException {
        Object tree = json.toTree(full());
        assertEquals(json.parse(json.write(full())).value(), tree);
        Map<?, ?> m = (Map<?, ?>) tree;
        assertEquals(Map.of("count", 3L, "label", "three"), m.get("inner"));
        assertEquals(List.of("inner", "items", "byName", "byLevel", "level", "note", "at", "took", "n", "big", "flag",
                "boxed", "raw"), List.copyOf(m.keySet()));
        assertEquals(Map.of("LOW", 4L, "HIGH", 5L), m.get("byLevel"));
        assertEquals(List.of(-5L, 1.5, "2026-11-26T18:00:00.123Z", "hello"),
                List.of(m.get("n"), m.get("took"), m.get("at"), m.get("note")));
        assertInstanceOf(List.class, m.get("items"));
        // Integer 3 and Long 3 differ for equals: a tree built from ints must still equal one read from etcd.
        assertEquals(json.toTree(Map.of("v", 3)), json.toTree(Map.of("v", 3L)));
    }
}
