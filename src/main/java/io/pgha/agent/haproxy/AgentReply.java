package io.pgha.agent.haproxy;

import io.pgha.agent.health.Verdict;
import io.pgha.agent.node.Role;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * HAProxy's agent-check grammar, both ways, without I/O.
 *
 * <p>Replies: HAProxy reads words up to the first CR/LF; admin states (drain, maint) stick until the agent says
 * {@code ready}, and a weight alone does not lift a {@code down}. So every reply that welcomes traffic carries
 * {@code up ready} as well, or a node drained for lag (or after maintenance) would stay out forever, and a
 * full {@code up} says {@code 100%}: a weight HAProxy took from an earlier reply stays until the agent names
 * another one (a replica weighted down for lag stayed at 0 without it). A
 * {@code #text} is only shown by HAProxy next to a health word (up/down), so drain and maint go bare.
 *
 * <p>Requests: the agent-send line names the role. Up to {@link #MAX_REQUEST} printable bytes; an empty line (or
 * none at all) means {@code any}; anything else is a bad request.
 */
public final class AgentReply {

    public static final int MAX_REQUEST = 64;
    /** Longer descriptions add nothing on the stats page and cost bytes on every check. */
    static final int MAX_REASON = 160;
    public static final String BAD_REQUEST = "down #bad request\n";

    private AgentReply() {
    }

    public static String format(Verdict v) {
        return switch (v.word()) {
            case UP -> "up ready 100% #" + clean(v.reason()) + "\n";
            case WEIGHT -> "up ready " + v.weight() + "% #" + clean(v.reason()) + "\n";
            case READY -> "ready\n";
            case DRAIN -> "drain\n";
            case MAINT -> "maint\n";
            case DOWN -> "down #" + clean(v.reason()) + "\n";
        };
    }

    /**
     * The role asked for by a request line (without its LF), or empty for a bad request.
     */
    public static Optional<Role> parse(byte[] line) {
        if (line.length > MAX_REQUEST) {
            return Optional.empty();
        }
        for (byte b : line) {
            boolean printable = b >= 0x20 && b < 0x7f;
            if (!printable && b != '\t' && b != '\r') {
                return Optional.empty();
            }
        }
        String word = new String(line, StandardCharsets.US_ASCII).strip();
        return word.isEmpty() ? Optional.of(Role.ANY) : Role.parse(word);
    }

    public static Optional<Role> parse(String line) {
        return parse(line.getBytes(StandardCharsets.UTF_8));
    }

    /** One line of printable ASCII: a CR or LF inside the reason would end HAProxy's line early. */
    static String clean(String reason) {
        StringBuilder b = new StringBuilder(Math.min(reason.length(), MAX_REASON));
        for (int i = 0; i < reason.length() && b.length() < MAX_REASON; i++) {
            char c = reason.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : ' ');
        }
        return b.toString().strip();
    }
}
