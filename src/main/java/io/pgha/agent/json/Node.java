package io.pgha.agent.json;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A read-only view of one value of a parsed document, with the lenient accessors a reader of someone else's
 * JSON (Patroni's REST API and etcd keys) wants: {@link #path} never returns null (a missing field is a missing
 * node), and the {@code as*} methods fall back to a default instead of throwing, as Jackson's JsonNode did.
 */
public final class Node implements Iterable<Node> {

    private static final Node MISSING = new Node(null, true);

    private final Object value;
    private final boolean missing;

    private Node(Object value, boolean missing) {
        this.value = value;
        this.missing = missing;
    }

    static Node of(Object value) {
        return new Node(value, false);
    }

    /** The raw value: Map, List, String, Long, BigInteger, Double, Boolean or null (also when missing). */
    public Object value() {
        return value;
    }

    /** The field of an object; a missing node for anything else or an absent field. */
    public Node path(String field) {
        if (value instanceof Map<?, ?> m && m.containsKey(field)) {
            return of(m.get(field));
        }
        return MISSING;
    }

    public boolean isMissing() {
        return missing;
    }

    public boolean isObject() {
        return value instanceof Map;
    }

    public boolean isNumber() {
        return value instanceof Number;
    }

    /** Present and not JSON null. */
    public boolean isValue() {
        return !missing && value != null;
    }

    /** Whether the field exists and is not null. */
    public boolean has(String field) {
        return path(field).isValue();
    }

    /** Text of a string, number or boolean; {@code fallback} when missing, null, an object or an array. */
    public String asText(String fallback) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return fallback;
    }

    /** A whole number (also from a numeric string); {@code fallback} otherwise. */
    public long asLong(long fallback) {
        if (value instanceof Double d) {
            return d.longValue();
        }
        if (value instanceof Number n && !(value instanceof BigInteger)) {
            return n.longValue();
        }
        if (value instanceof String s) {
            try {
                return Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }

    /** A number that fits a long exactly (a Long, or a Double with no fraction in range): what a counter is. */
    public boolean isWholeNumber() {
        return value instanceof Long || value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 9.2e18;
    }

    public boolean asBoolean(boolean fallback) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Long n) {
            return n != 0;
        }
        if (value instanceof String s) {
            if ("true".equals(s.strip())) {
                return true;
            }
            if ("false".equals(s.strip())) {
                return false;
            }
        }
        return fallback;
    }

    /** The elements of an array or the values of an object, in order; nothing for anything else. */
    @Override
    public Iterator<Node> iterator() {
        List<Node> out = new ArrayList<>();
        if (value instanceof List<?> l) {
            l.forEach(e -> out.add(of(e)));
        } else if (value instanceof Map<?, ?> m) {
            m.values().forEach(e -> out.add(of(e)));
        }
        return out.iterator();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Node n && n.missing == missing && java.util.Objects.equals(n.value, value);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hashCode(value) * 31 + (missing ? 1 : 0);
    }

    @Override
    public String toString() {
        return missing ? "(missing)" : String.valueOf(value);
    }
}
