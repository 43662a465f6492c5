package io.pgha.agent.haproxy;

import io.pgha.agent.health.Verdict;
import io.pgha.agent.node.Role;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

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
     * The role asked for by the first {@code length} bytes of {@code buf} (a request line without its LF), or
     * null for a bad request. No copy, String or Optional: it runs on every check, and each allocation brings the
     * next young GC pause closer.
     */
    static Role role(byte[] buf, int length) {
        if (length > MAX_REQUEST) {
            return null;
        }
        for (int i = 0; i < length; i++) {
            byte b = buf[i];
            boolean printable = b >= 0x20 && b < 0x7f;
            if (!printable && b != '\t' && b != '\r') {
                return null;
            }
        }
        int start = 0;
        int end = length;
        while (start < end && blank(buf[start])) {
            start++;
        }
        while (end > start && blank(buf[end - 1])) {
            end--;
        }
        if (start == end) {
            return Role.ANY;
        }
        for (int r = 0; r < ROLES.length; r++) {
            if (sameWord(WIRE[r], buf, start, end)) {
                return ROLES[r];
            }
        }
        return null;
    }

    /** Role names in lowercase ASCII, index for index with {@link #ROLES}; never written after class init. */
    private static final Role[] ROLES = Role.values();
    private static final byte[][] WIRE = Arrays.stream(ROLES).map(r -> r.wire().getBytes(StandardCharsets.US_ASCII))
            .toArray(byte[][]::new);

    // What String.strip() removes from a line that passed the printable check.
    private static boolean blank(byte b) {
        return b == ' ' || b == '\t' || b == '\r';
    }

    /** ASCII case-insensitive: the names are lowercase letters, and only A-Z/a-z OR 0x20 onto them. */
    private static boolean sameWord(byte[] name, byte[] buf, int start, int end) {
        if (end - start != name.length) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            if ((buf[start + i] | 0x20) != name[i]) {
                return false;
            }
        }
        return true;
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
