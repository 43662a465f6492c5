package io.pgha.agent.hook;

import io.pgha.agent.gossip.PatroniMember;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The server-state file a reload loads, with every member that is new to a backend seeded DOWN. Pure.
 *
 * <p>Why: HAProxy starts a server it has no saved state for as UP ("up, but will fall down at first failure"),
 * and its first check comes up to one check interval later. A member added to backend primary by a re-render
 * would take new write connections for that long beside the leader, and the hook's next round (200 ms) is no
 * bound either, because the new worker may answer it first. Seeded DOWN (operational state 0, health 0), the
 * new server takes nothing until a check passes ({@code rise 1}), in every backend. Its check status is "initializing"
 * (1): with "unknown" (0) HAProxy 2.6 restores the server DOWN but never runs its check (measured).
 *
 * <p>The seeded line is a copy of another server's line in the same backend (so the check and agent ports,
 * TLS flag and weights are the config's), with the name, address, port, a fresh server id and a DOWN state.
 * HAProxy matches state lines to servers by backend and server name (ids are checked only when forced).
 */
public final class ServerStateSeed {

    // show servers state, format 1: be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight
    // srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health ... srv_port (18)
    private static final int SRV_ID = 2;
    private static final int NAME = 3;
    private static final int ADDR = 4;
    private static final int OP_STATE = 5;
    private static final int ADMIN_STATE = 6;
    private static final int SINCE = 9;
    private static final int CHECK_STATUS = 10;
    private static final int CHECK_RESULT = 11;
    private static final int CHECK_HEALTH = 12;
    private static final int PORT = 18;

    private ServerStateSeed() {
    }

    /** {@code dump} (HAProxy's answer to "show servers state") plus one DOWN line per member new to a backend. */
    public static String withNewServersDown(String dump, Collection<PatroniMember> members) {
        Map<String, String[]> sample = new LinkedHashMap<>();
        Map<String, Set<String>> names = new LinkedHashMap<>();
        Map<String, Integer> maxId = new LinkedHashMap<>();
        for (String line : dump.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (line.startsWith("#") || f.length <= PORT || !f[0].chars().allMatch(Character::isDigit)
                    || !f[SRV_ID].chars().allMatch(Character::isDigit)) {
                continue;
            }
            sample.putIfAbsent(f[1], f);
            names.computeIfAbsent(f[1], b -> new LinkedHashSet<>()).add(f[NAME]);
            maxId.merge(f[1], Integer.parseInt(f[SRV_ID]), Math::max);
        }
        List<PatroniMember> sorted = members.stream().filter(m -> m.host() != null && m.port() != null)
                .sorted(Comparator.comparing(PatroniMember::name)).toList();
        List<String> seeded = new ArrayList<>();
        for (Map.Entry<String, String[]> e : sample.entrySet()) {
            String backend = e.getKey();
            for (PatroniMember m : sorted) {
                if (names.get(backend).contains(m.name())) {
                    continue;
                }
                String[] f = e.getValue().clone();
                int id = maxId.merge(backend, 1, Integer::sum);
                f[SRV_ID] = Integer.toString(id);
                f[NAME] = m.name();
                f[ADDR] = m.host();
                f[OP_STATE] = "0";
                f[ADMIN_STATE] = "0";
                f[SINCE] = "0";
                f[CHECK_STATUS] = "1"; // HCHK_STATUS_INI: 0 (unknown) would leave the server unchecked for good
                f[CHECK_RESULT] = "0";
                f[CHECK_HEALTH] = "0";
                f[PORT] = Integer.toString(m.port());
                seeded.add(String.join(" ", f));
            }
        }
        if (seeded.isEmpty()) {
            return dump;
        }
        String body = dump.stripTrailing();
        return body + "\n" + String.join("\n", seeded) + "\n";
    }
}
