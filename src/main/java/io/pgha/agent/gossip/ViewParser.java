package io.pgha.agent.gossip;

import io.pgha.agent.etcd.KeyLayout;
import io.pgha.agent.json.Json;
import io.pgha.agent.json.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Folds one etcd key change into a new {@link ClusterView}. Pure: no I/O, time passed in. A value that cannot
 * be read is skipped and counted, and the last good value for that key stays, so garbage written into etcd
 * (by a bug, an operator or a newer incompatible agent) can never empty the view or stop the watcher.
 */
public final class ViewParser {

    /** One key as etcd reports it; {@code value} null means the key was deleted (or its lease expired). */
    public record KeyChange(String key, byte[] value, long modRevision) {
        public static KeyChange put(String key, String value, long rev) {
            return new KeyChange(key, value.getBytes(StandardCharsets.UTF_8), rev);
        }

        public static KeyChange delete(String key, long rev) {
            return new KeyChange(key, null, rev);
        }
    }

    /** The new view, and why the change was skipped when it was. */
    public record Update(ClusterView view, Optional<String> skipped) {
    }

    private final KeyLayout patroni;
    private final String agentsPrefix;
    private final String hooksPrefix;
    private final Json json = new Json();

    /** A parser that knows no hooks' prefix (their keys are then ignored like Patroni's other keys). */
    public ViewParser(KeyLayout patroni, String agentsPrefix) {
        this(patroni, agentsPrefix, null);
    }

    /** @param hooksPrefix where HAProxy hooks publish their view; must not overlap agentsPrefix (checked at start) */
    public ViewParser(KeyLayout patroni, String agentsPrefix, String hooksPrefix) {
        this.patroni = patroni;
        this.agentsPrefix = agentsPrefix;
        this.hooksPrefix = hooksPrefix;
    }

    public String agentsPrefix() {
        return agentsPrefix;
    }

    public String agentKey(String node) {
        return agentsPrefix + node;
    }

    /** Empty when this parser knows no hooks' prefix. */
    public Optional<String> hooksPrefix() {
        return Optional.ofNullable(hooksPrefix);
    }

    public String hookKey(String name) {
        return Objects.requireNonNull(hooksPrefix, "no hooks prefix") + name;
    }

    public Update apply(ClusterView view, KeyChange c, Instant now) {
        ClusterView v = view.withRevision(c.modRevision());
        String membersPrefix = patroni.prefix() + "members/";
        if (c.key().equals(patroni.leader())) {
            return leader(v, c, now);
        }
        if (c.key().startsWith(membersPrefix)) {
            return member(v, c, c.key().substring(membersPrefix.length()));
        }
        if (c.key().startsWith(agentsPrefix)) {
            return agent(v, c, c.key().substring(agentsPrefix.length()));
        }
        if (hooksPrefix != null && c.key().startsWith(hooksPrefix)) {
            return hook(v, c, c.key().substring(hooksPrefix.length()));
        }
        // Patroni's other keys (config, history, initialize, sync, ...) are not part of the view.
        return new Update(v, Optional.empty());
    }

    /** How the leader key's value is read everywhere (the view, the confirmation, the health loop): trimmed. */
    static String leaderValue(byte[] value) {
        return value == null ? null : new String(value, StandardCharsets.UTF_8).trim();
    }

    private Update leader(ClusterView v, KeyChange c, Instant now) {
        if (c.value() == null) {
            return new Update(v.leader() == null ? v : v.withLeader(null, now), Optional.empty());
        }
        String name = leaderValue(c.value());
        if (!validName(name)) {
            return skip(v, c.key(), "leader value is not a member name");
        }
        // Patroni may rewrite the same value; the leader only changes when the name does.
        return new Update(name.equals(v.leader()) ? v : v.withLeader(name, now), Optional.empty());
    }

    private Update member(ClusterView v, KeyChange c, String name) {
        if (!validName(name)) {
            return skip(v, c.key(), "not a member key");
        }
        Map<String, PatroniMember> m = new HashMap<>(v.members());
        if (c.value() == null) {
            m.remove(name);
            return new Update(v.withMembers(m), Optional.empty());
        }
        try {
            Node n = json.parse(c.value());
            if (!n.isObject()) {
                return skip(v, c.key(), "member value is not a JSON object");
            }
            String conn = text(n, "conn_url");
            m.put(name, new PatroniMember(name, text(n, "role"), text(n, "state"), PatroniMember.host(conn),
                    PatroniMember.port(conn), text(n, "api_url"), number(n, "timeline"), number(n, "xlog_location")));
            return new Update(v.withMembers(m), Optional.empty());
        } catch (IOException e) {
            return skip(v, c.key(), "member value is not JSON");
        }
    }

    private Update agent(ClusterView v, KeyChange c, String node) {
        if (!validName(node)) {
            return skip(v, c.key(), "not an agent key (expected " + agentsPrefix + "<node>)");
        }
        Map<String, AgentStatus> a = new HashMap<>(v.agents());
        if (c.value() == null) {
            a.remove(node);
            return new Update(v.withAgents(a), Optional.empty());
        }
        AgentStatus s;
        try {
            s = json.read(c.value(), AgentStatus.class);
        } catch (IOException e) {
            return skip(v, c.key(), "agent status is not valid JSON of the expected shape");
        }
        if (s == null || s.schema() < 1) {
            return skip(v, c.key(), "agent status has no schema version");
        }
        if (!node.equals(s.node())) {
            return skip(v, c.key(), "agent status names node '" + s.node() + "', not its key's");
        }
        a.put(node, s);
        return new Update(v.withAgents(a), Optional.empty());
    }

    /**
     * Unlike an agent's status, an unreadable hook value does not keep the last good one: the page must not
     * show HAProxy's old state as if it were current, so the hook is listed as unreadable with the reason.
     */
    private Update hook(ClusterView v, KeyChange c, String name) {
        if (!validName(name)) {
            return skip(v, c.key(), "not a hook key (expected " + hooksPrefix + "<name>)");
        }
        Map<String, HookStatus> h = new HashMap<>(v.hooks());
        if (c.value() == null) {
            h.remove(name);
            return new Update(v.withHooks(h), Optional.empty());
        }
        String problem;
        try {
            HookStatus s = json.read(c.value(), HookStatus.class);
            if (s == null || s.schema() < 1) {
                problem = "hook view has no schema version";
            } else if (!name.equals(s.hook())) {
                problem = "hook view names hook '" + s.hook() + "', not its key's";
            } else if (s.unreadable() != null) {
                problem = "hook view claims to be unreadable";
            } else {
                h.put(name, s);
                return new Update(v.withHooks(h), Optional.empty());
            }
        } catch (IOException | RuntimeException e) {
            // RuntimeException too: a record constructor rejecting a value must not stop the watcher.
            problem = "hook view is not valid JSON of the expected shape";
        }
        h.put(name, HookStatus.unreadable(name, problem));
        return skip(v.withHooks(h), c.key(), problem);
    }

    private static Update skip(ClusterView v, String key, String why) {
        return new Update(v.withSkipped(v.skipped() + 1), Optional.of(key + ": " + why));
    }

    private static boolean validName(String s) {
        return !s.isEmpty() && s.length() <= 128 && s.chars().allMatch(ch -> ch > 32 && ch < 127 && ch != '/'
                && ch != '{' && ch != '"');
    }

    private static String text(Node n, String field) {
        return n.path(field).asText(null);
    }

    private static Long number(Node n, String field) {
        Node f = n.path(field);
        return f.isWholeNumber() ? f.asLong(0) : null;
    }
}
