package io.pgha.agent.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import jakarta.inject.Singleton;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes and parses JSON on jackson-core's streaming API. What it writes, the way Quarkus's ObjectMapper did:
 * records as objects of their components in declaration order (nulls left out under {@link OmitNulls}),
 * maps with their keys' strings (enum names), collections and arrays as arrays, enums by name, {@link Instant}
 * as ISO-8601 text, {@link Duration} as decimal seconds, an empty {@link Optional} as null. Anything else is a
 * programming error and fails loudly rather than writing something no reader expects. Reading records is
 * {@link RecordReader}'s; a parsed document is a {@link Node}. Stateless and thread-safe: one instance is shared.
 */
@Singleton
public class Json {

    /** Bounds on what a peer can make the parser hold: an etcd value or a Patroni body is a few kB. */
    private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxNestingDepth(64).maxStringLength(1_000_000).maxNumberLength(100).build();

    private final JsonFactory factory = JsonFactory.builder().streamReadConstraints(LIMITS).build();
    private final RecordReader records = new RecordReader();

    public byte[] write(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            write(out, value, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toByteArray();
    }

    public String writeString(Object value) {
        return new String(write(value), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Indented the way Jackson's default pretty printer indents: for files people read (backup manifests). */
    public String writePretty(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try {
            write(out, value, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    public void write(OutputStream out, Object value) throws IOException {
        write(out, value, false);
    }

    private void write(OutputStream out, Object value, boolean pretty) throws IOException {
        try (JsonGenerator g = factory.createGenerator(out)) {
            if (pretty) {
                g.useDefaultPrettyPrinter();
            }
            value(g, value);
        }
    }

    /** The document as a tree; IOException for anything that is not one complete JSON value. */
    public Node parse(String text) throws IOException {
        try (JsonParser p = factory.createParser(text)) {
            return Node.of(readDocument(p));
        }
    }

    public Node parse(byte[] bytes) throws IOException {
        try (JsonParser p = factory.createParser(bytes)) {
            return Node.of(readDocument(p));
        }
    }

    /**
     * A record of {@code type} from the document. Unknown fields are ignored, missing ones are null (0 or false
     * for primitives); a value of the wrong shape, or a constructor that refuses the values, is an IOException
     * naming the field, so garbage from a peer is an error to report, never an exception to crash on.
     */
    public <T> T read(String text, Class<T> type) throws IOException {
        return records.read(parse(text).value(), type);
    }

    public <T> T read(byte[] bytes, Class<T> type) throws IOException {
        return records.read(parse(bytes).value(), type);
    }

    /**
     * The value as the tree a parse of its JSON would give (maps, lists, strings, Long, Double, Boolean, null):
     * a detached copy that compares with {@code equals} the same way after a round trip through etcd.
     */
    public Object toTree(Object value) {
        try {
            return parse(write(value)).value();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // what this class wrote, it parses
        }
    }

    private Object readDocument(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw new IOException("empty document");
        }
        Object v = readValue(p, t);
        if (p.nextToken() != null) {
            throw new IOException("more than one JSON value");
        }
        return v;
    }

    private static Object readValue(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String name = p.currentName();
                    m.put(name, readValue(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    l.add(readValue(p, e));
                }
                return l;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue() : p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected " + t + " at " + p.currentLocation().offsetDescription());
        }
    }

    private static void value(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof Float f) {
            g.writeNumber(f);
        } else if (v instanceof BigInteger b) {
            g.writeNumber(b);
        } else if (v instanceof BigDecimal b) {
            g.writeNumber(b);
        } else if (v instanceof Enum<?> e) {
            g.writeString(e.name());
        } else if (v instanceof Instant i) {
            g.writeString(i.toString());
        } else if (v instanceof Duration d) {
            // Zero as 0.0, as jsr310's DurationSerializer writes it: the sum below would print as 0E-9.
            g.writeNumber(d.isZero() ? BigDecimal.ZERO.setScale(1)
                    : BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9)));
        } else if (v instanceof Optional<?> o) {
            value(g, o.orElse(null));
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Object k = e.getKey();
                g.writeFieldName(k instanceof Enum<?> en ? en.name() : String.valueOf(k));
                value(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Collection<?> c) {
            g.writeStartArray();
            for (Object e : c) {
                value(g, e);
            }
            g.writeEndArray();
        } else if (v instanceof Object[] a) {
            value(g, java.util.Arrays.asList(a)); // List.of would refuse a null element
        } else if (v instanceof Record r) {
            record(g, r);
        } else if (v instanceof CharSequence || v instanceof Character) {
            g.writeString(v.toString());
        } else {
            throw new IllegalArgumentException("no JSON form for " + v.getClass().getName());
        }
    }

    private static void record(JsonGenerator g, Record r) throws IOException {
        boolean omitNulls = r.getClass().isAnnotationPresent(OmitNulls.class);
        g.writeStartObject();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            Object v;
            try {
                v = c.getAccessor().invoke(r);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + r.getClass().getSimpleName() + "." + c.getName(), e);
            }
            if (v == null && omitNulls) {
                continue;
            }
            g.writeFieldName(c.getName());
            value(g, v);
        }
        g.writeEndObject();
    }
}
