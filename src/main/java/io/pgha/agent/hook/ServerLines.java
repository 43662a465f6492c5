package io.pgha.agent.hook;

import io.pgha.agent.gossip.PatroniMember;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders HAProxy's server lines from Patroni's members. Pure. In the template, a line
 * {@code # pgha:servers <backend> <options>} becomes one {@code server <member> <host>:<port> <options>} line
 * per member, sorted by name (server names are the Patroni member names, so the hook needs no mapping).
 * Members without a parseable address are left out.
 */
public final class ServerLines {

    private static final Pattern MARKER = Pattern.compile("^(\\s*)#\\s*pgha:servers\\s+(\\S+)\\s*(.*)$");

    private ServerLines() {
    }

    public static String render(String template, Collection<PatroniMember> members) {
        List<PatroniMember> sorted = members.stream().filter(m -> m.host() != null && m.port() != null)
                .sorted(Comparator.comparing(PatroniMember::name)).toList();
        StringBuilder out = new StringBuilder();
        for (String line : template.split("\n", -1)) {
            Matcher m = MARKER.matcher(line);
            if (!m.matches()) {
                out.append(line).append('\n');
                continue;
            }
            out.append(m.group(1)).append("# rendered by the pgha hook from Patroni's members (backend ")
                    .append(m.group(2)).append(")\n");
            for (PatroniMember p : sorted) {
                out.append(m.group(1)).append("server ").append(p.name()).append(' ').append(p.host()).append(':')
                        .append(p.port());
                if (!m.group(3).isBlank()) {
                    out.append(' ').append(m.group(3).strip());
                }
                out.append('\n');
            }
        }
        return out.substring(0, out.length() - 1);
    }

    /** What the lines depend on: names and addresses; a role change must not cause a reload. */
    public static String membership(Collection<PatroniMember> members) {
        return members.stream().sorted(Comparator.comparing(PatroniMember::name))
                .map(p -> p.name() + "=" + p.host() + ":" + p.port()).reduce("", (a, b) -> a + b + ";");
    }
}
