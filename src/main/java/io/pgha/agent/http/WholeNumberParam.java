package io.pgha.agent.http;

/**
 * A query parameter that must be a whole number, parsed without I/O so a route can refuse a bad one with a
 * sentence naming it (JAX-RS answered a bare 404). {@code problem} is null when the value is usable.
 */
public record WholeNumberParam(int value, String problem) {

    /** @param absent what a missing or blank parameter means */
    public static WholeNumberParam parse(String name, String raw, int absent) {
        if (raw == null || raw.isBlank()) {
            return new WholeNumberParam(absent, null);
        }
        try {
            return new WholeNumberParam(Integer.parseInt(raw.strip()), null);
        } catch (NumberFormatException e) {
            return new WholeNumberParam(absent, "query parameter " + name + " is not a whole number: " + raw);
        }
    }
}
