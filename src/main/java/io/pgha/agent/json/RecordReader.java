package io.pgha.agent.json;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds records from a parsed tree through their canonical constructors, following the component types
 * (records, List, Set, Map with string keys, Optional, enums, boxed and primitive numbers, Instant, Duration,
 * Object for a subtree kept as is). Every failure is an IOException that names the field path, because the
 * input comes from peers and disk and a bad value there is a report, not a crash.
 */
final class RecordReader {

    <T> T read(Object tree, Class<T> type) throws IOException {
        return type.cast(convert(tree, type, type.getSimpleName()));
    }

    private Object convert(Object v, Type type, String where) throws IOException {
        if (type instanceof ParameterizedType p) {
            return generic(v, p, where);
        }
        if (!(type instanceof Class<?> c)) {
            throw new IOException(where + ": unsupported type " + type);
        }
        if (c.isPrimitive()) {
            return v == null ? primitiveZero(c) : scalar(v, c, where);
        }
        if (v == null) {
            return null;
        }
        if (c == Object.class) {
            return v;
        }
        if (c.isRecord()) {
            return record(v, c, where);
        }
        if (c.isEnum()) {
            return enumValue(v, c, where);
        }
        return scalar(v, c, where);
    }

    private Object generic(Object v, ParameterizedType p, String where) throws IOException {
        Class<?> raw = (Class<?>) p.getRawType();
        Type[] args = p.getActualTypeArguments();
        if (raw == Optional.class) {
            return Optional.ofNullable(convert(v, args[0], where));
        }
        if (v == null) {
            return null;
        }
        if (raw == List.class || raw == Set.class || raw == java.util.Collection.class) {
            if (!(v instanceof List<?> l)) {
                throw new IOException(where + ": expected an array");
            }
            List<Object> out = new ArrayList<>(l.size());
            for (int i = 0; i < l.size(); i++) {
                out.add(convert(l.get(i), args[0], where + "[" + i + "]"));
            }
            return raw == Set.class ? new LinkedHashSet<>(out) : out;
        }
        if (raw == Map.class) {
            if (!(v instanceof Map<?, ?> m)) {
                throw new IOException(where + ": expected an object");
            }
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String k = (String) e.getKey();
                Object key = args[0] instanceof Class<?> kc && kc.isEnum() ? enumValue(k, kc, where + "." + k) : k;
                out.put(key, convert(e.getValue(), args[1], where + "." + k));
            }
            return out;
        }
        throw new IOException(where + ": unsupported type " + p);
    }

    private Object record(Object v, Class<?> c, String where) throws IOException {
        if (!(v instanceof Map<?, ?> m)) {
            throw new IOException(where + ": expected an object");
        }
        RecordComponent[] components = c.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent rc = components[i];
            types[i] = rc.getType();
            args[i] = convert(m.get(rc.getName()), rc.getGenericType(), where + "." + rc.getName());
        }
        try {
            Constructor<?> k = c.getDeclaredConstructor(types);
            k.setAccessible(true);
            return k.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException(where + ": " + cause.getMessage(), cause);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException(where + ": cannot build " + c.getSimpleName() + " (" + e + ")", e);
        }
    }

    private static Object enumValue(Object v, Class<?> c, String where) throws IOException {
        if (v instanceof String s) {
            for (Object e : c.getEnumConstants()) {
                if (((Enum<?>) e).name().equals(s)) {
                    return e;
                }
            }
        }
        throw new IOException(where + ": '" + v + "' is not one of " + List.of(c.getEnumConstants()));
    }

    private static Object primitiveZero(Class<?> c) {
        if (c == boolean.class) {
            return false;
        }
        if (c == char.class) {
            return '\0';
        }
        return scalarNumber(0L, c);
    }

    private static Object scalar(Object v, Class<?> c, String where) throws IOException {
        try {
            if (c == String.class) {
                if (v instanceof Map || v instanceof List) {
                    throw new IOException(where + ": expected text");
                }
                return v.toString();
            }
            if (c == boolean.class || c == Boolean.class) {
                if (v instanceof Boolean b) {
                    return b;
                }
                if ("true".equals(v) || "false".equals(v)) {
                    return Boolean.parseBoolean((String) v);
                }
                throw new IOException(where + ": expected true or false");
            }
            if (c == Instant.class) {
                if (v instanceof String s) {
                    return Instant.parse(s);
                }
                if (v instanceof Number n) {
                    BigDecimal s = new BigDecimal(n.toString());
                    return Instant.ofEpochSecond(s.toBigInteger().longValueExact(),
                            s.remainder(BigDecimal.ONE).movePointRight(9).longValue());
                }
                throw new IOException(where + ": expected a time");
            }
            if (c == Duration.class) {
                if (v instanceof Number n) {
                    BigDecimal s = new BigDecimal(n.toString());
                    return Duration.ofSeconds(s.toBigInteger().longValueExact(),
                            s.remainder(BigDecimal.ONE).movePointRight(9).longValue());
                }
                if (v instanceof String s) {
                    return Duration.parse(s);
                }
                throw new IOException(where + ": expected a duration");
            }
            if (Number.class.isAssignableFrom(c) || c.isPrimitive()) {
                Object n = v instanceof String s ? new BigDecimal(s.strip()) : v;
                if (!(n instanceof Number)) {
                    throw new IOException(where + ": expected a number");
                }
                return scalarNumber((Number) n, c);
            }
        } catch (DateTimeException | NumberFormatException | ArithmeticException e) { // DateTimeException: out of range
            throw new IOException(where + ": " + e.getMessage(), e);
        }
        throw new IOException(where + ": unsupported type " + c.getName());
    }

    /** The number as a long, ArithmeticException when it does not fit (longValue() would wrap or saturate). */
    private static long exactLong(Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (!(Math.abs(d) < 0x1p63)) {
                throw new ArithmeticException(n + " is out of range");
            }
            return (long) d;
        }
        return n instanceof BigInteger || n instanceof BigDecimal ? new BigDecimal(n.toString()).longValueExact()
                : n.longValue();
    }

    private static Object scalarNumber(Number n, Class<?> c) {
        if (c == long.class || c == Long.class) {
            return exactLong(n);
        }
        if (c == int.class || c == Integer.class) {
            return Math.toIntExact(exactLong(n));
        }
        if (c == double.class || c == Double.class) {
            return n.doubleValue();
        }
        if (c == float.class || c == Float.class) {
            return n.floatValue();
        }
        if (c == short.class || c == Short.class) {
            return (short) Math.toIntExact(n.longValue());
        }
        if (c == byte.class || c == Byte.class) {
            return (byte) Math.toIntExact(n.longValue());
        }
        if (c == BigInteger.class) {
            return new BigDecimal(n.toString()).toBigInteger();
        }
        if (c == BigDecimal.class) {
            return new BigDecimal(n.toString());
        }
        throw new IllegalArgumentException("not a number type: " + c);
    }
}
