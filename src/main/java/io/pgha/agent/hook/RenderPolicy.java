package io.pgha.agent.hook;

import io.pgha.agent.gossip.PatroniMember;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides which Patroni members HAProxy's rendered config lists. Pure: the members kept last time, the members
 * etcd lists now and the time in, the members to render with the sentence why out.
 *
 * <p>Why a member whose key is gone stays listed for a while: Patroni's member key lives on its lease, so a node
 * that is cut off, hung or rebooting loses its key after one TTL and gets it back when it returns. Rendering that
 * as a membership change reloads HAProxy twice per fault, and a reload hands every established session to the old
 * worker, which runs no health checks: {@code on-marked-down shutdown-sessions} no longer cuts them, so a client
 * stays connected to a leader that HAProxy has since marked down (measured in the frozen-Patroni fault: writes
 * went on through such a session until the watchdog stopped PostgreSQL, 23 s). A departed member's servers stay,
 * DOWN by their checks, until it has been gone {@code keepDeparted}; then it is dropped (a node removed for good).
 * A member that comes back, or changes address, is rendered at once.
 */
public final class RenderPolicy {

    /** A member the rendered config lists; {@code goneSince} is null while etcd lists it. */
    public record Kept(PatroniMember member, Instant goneSince) {
    }

    /**
     * @param next   what to remember for the next decision
     * @param render the members the config lists, sorted by name
     * @param gone   the names kept although etcd no longer lists them
     */
    public record Decision(Map<String, Kept> next, List<PatroniMember> render, List<String> gone, String reason) {
    }

    private final Duration keepDeparted;

    /** @param keepDeparted how long a member whose key is gone stays listed; zero drops it at once */
    public RenderPolicy(Duration keepDeparted) {
        this.keepDeparted = keepDeparted;
    }

    public Decision decide(Map<String, Kept> prev, Collection<PatroniMember> present, Instant now) {
        Map<String, Kept> next = new TreeMap<>();
        for (PatroniMember m : present) {
            if (m.host() != null && m.port() != null) {
                next.put(m.name(), new Kept(m, null));
            }
        }
        List<String> kept = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (Kept k : prev.values()) {
            String name = k.member().name();
            if (next.containsKey(name)) {
                continue;
            }
            Instant since = k.goneSince() == null ? now : k.goneSince();
            Duration gone = Duration.between(since, now);
            if (gone.compareTo(keepDeparted) < 0) {
                next.put(name, new Kept(k.member(), since));
                kept.add(name + " (gone " + s(gone) + ")");
            } else {
                dropped.add(name + " (gone " + s(gone) + ")");
            }
        }
        List<PatroniMember> render = next.values().stream().map(Kept::member)
                .sorted(Comparator.comparing(PatroniMember::name)).toList();
        List<String> goneNames = next.values().stream().filter(k -> k.goneSince() != null)
                .map(k -> k.member().name()).toList();
        StringBuilder reason = new StringBuilder("rendering ").append(render.size()).append(" member(s): ")
                .append(String.join(", ", next.keySet()));
        if (!kept.isEmpty()) {
            reason.append("; kept although their member key is gone: ").append(String.join(", ", kept))
                    .append(", until gone ").append(s(keepDeparted))
                    .append(" (pgha.hook.render.keep-departed), so a node cut off or restarting causes no reload");
        }
        if (!dropped.isEmpty()) {
            reason.append("; dropped, gone for at least ").append(s(keepDeparted)).append(": ")
                    .append(String.join(", ", dropped));
        }
        return new Decision(Map.copyOf(next), render, goneNames, reason.toString());
    }

    private static String s(Duration d) {
        return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }
}
