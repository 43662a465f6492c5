package io.pgha.agent.hook;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of HAProxy's {@code show servers state} (format version 1): the fields the hook decides on.
 *
 * @param opState    0 stopped (down), 1 starting, 2 running (up), 3 stopping
 * @param adminState bit flags: 0x01 forced maint, 0x02 inherited maint, 0x08 forced drain, 0x10 inherited drain
 */
public record ServerState(String backend, String server, String address, int opState, int adminState,
        int userWeight, int initialWeight) {

    public static final int FORCED_MAINT = 0x01;
    public static final int FORCED_DRAIN = 0x08;

    public boolean up() {
        return opState == 2;
    }

    public boolean down() {
        return opState == 0;
    }

    public boolean forced() {
        return (adminState & (FORCED_MAINT | FORCED_DRAIN)) != 0;
    }

    public String id() {
        return backend + "/" + server;
    }

    /** Parses the whole answer; lines that are not server lines (version, header, blanks) are skipped. */
    public static List<ServerState> parse(String answer) {
        List<ServerState> out = new ArrayList<>();
        for (String line : answer.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 9 || line.startsWith("#") || !f[0].chars().allMatch(Character::isDigit)) {
                continue;
            }
            try {
                out.add(new ServerState(f[1], f[3], f[4], Integer.parseInt(f[5]), Integer.parseInt(f[6]),
                        Integer.parseInt(f[7]), Integer.parseInt(f[8])));
            } catch (NumberFormatException e) {
                // not a server line
            }
        }
        return out;
    }
}
