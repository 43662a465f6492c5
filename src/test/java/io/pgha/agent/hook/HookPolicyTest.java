package io.pgha.agent.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgha.agent.gossip.AgentStatus;
import io.pgha.agent.gossip.ClusterView;
import io.pgha.agent.node.ClaimJudgement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HookPolicyTest {

    static final Instant NOW = Instant.parse("2026-11-26T08:00:00Z");
    static final HookPolicy POLICY = new HookPolicy(new HookPolicy.Settings(Duration.ofSeconds(3),
            Duration.ofSeconds(10)));

    static final int DOWN = 0;
    static final int UP = 2;

    static ServerState s(String backend, String name, int op) {
        return new ServerState(backend, name, "10.0.0.1", op, 0, 1, 1);
    }

    /** HAProxy as it is right after a switchover from patroni1 to patroni2, before its checks notice. */
    static List<ServerState> stale() {
        return List.of(s("primary", "patroni1", UP), s("primary", "patroni2", DOWN), s("primary", "patroni3", DOWN),
                s("replicas", "patroni1", DOWN), s("replicas", "patroni2", UP), s("replicas", "patroni3", UP),
                s("any", "patroni1", UP), s("any", "patroni2", UP), s("any", "patroni3", UP));
    }

    static List<ServerState> settled() {
        return List.of(s("primary", "patroni1", DOWN), s("primary", "patroni2", UP), s("primary", "patroni3", DOWN),
                s("replicas", "patroni1", UP), s("replicas", "patroni2", DOWN), s("replicas", "patroni3", UP));
    }

    static ClusterView view(String leader, Duration leaderAge, Duration confirmAge, Map<String, AgentStatus> agents) {
        return new ClusterView("postgres-ha", leader, leader == null ? null : NOW.minus(leaderAge), Map.of(), agents,
                10, 0, confirmAge == null ? null : NOW.minus(confirmAge));
    }

    static ClusterView view(String leader, Duration leaderAge, Duration confirmAge) {
        return view(leader, leaderAge, confirmAge, Map.of());
    }

    static AgentStatus agent(String node, String word, int weight, Duration age) {
        return new AgentStatus(1, node, "v", NOW.minus(age).toEpochMilli(), "replica", "running", 1L, 0L, 0L,
                Map.of("replica", new AgentStatus.VerdictView(word, weight, "c", "r")), null, null, null);
    }

    /** The holder overwrote patroni2's key a moment ago while patroni2 still runs as primary. */
    static ClusterView staleClaim(String holder) {
        String other = holder.equals("patroni1") ? "patroni2" : "patroni1";
        return new ClusterView("postgres-ha", holder, NOW.minusMillis(5), Map.of(), Map.of(), 10, 0, NOW, Map.of(),
                new ClaimJudgement(holder, true, "stale-claim", holder + " overwrote " + other + "'s leader key "
                        + "(created at revision 7) at revision 9 ...; fencing it"));
    }

    static List<String> commands(HookDecision d) {
        return d.actions().stream().map(HookAction::command).toList();
    }

    @Test
    void table() {
        Duration s1 = Duration.ofSeconds(1);
        List<ServerState> leaderForced = new ArrayList<>(settled());
        leaderForced.set(1, new ServerState("primary", "patroni2", "a", UP, ServerState.FORCED_MAINT, 1, 1));
        List<ServerState> replica3Down = new ArrayList<>(settled());
        replica3Down.set(5, s("replicas", "patroni3", DOWN));
        Object[][] rows = {
            // name, view, servers, expected commands, reason contains
            {"switchover just happened: new leader up, old one down, both ways",
                view("patroni2", Duration.ofMillis(5), Duration.ZERO), stale(),
                List.of("set server primary/patroni1 health down", "shutdown sessions server primary/patroni1",
                        "set server primary/patroni2 agent up", "set server primary/patroni2 health up",
                        "set server replicas/patroni2 health down", "shutdown sessions server replicas/patroni2"),
                "route writes to patroni2: 6 change(s)"},
            {"leader found at the hook's start (since unknown): no grace, the checks own the leader",
                new ClusterView("postgres-ha", "patroni2", null, Map.of(), Map.of(), 10, 0, NOW), stale(),
                List.of("set server primary/patroni1 health down", "shutdown sessions server primary/patroni1",
                        "set server replicas/patroni2 health down", "shutdown sessions server replicas/patroni2"),
                "route writes to patroni2: 4 change(s)"},
            {"HAProxy already agrees: nothing to send",
                view("patroni2", s1, s1), settled(), List.of(), "HAProxy agrees with etcd: patroni2"},
            {"leader down past the promotion grace: the checks own it",
                view("patroni1", Duration.ofSeconds(60), s1), settled(),
                List.of("set server primary/patroni2 health down", "shutdown sessions server primary/patroni2",
                        "set server replicas/patroni1 health down", "shutdown sessions server replicas/patroni1"),
                "route writes to patroni1"},
            {"view not confirmed for 4 s: hand back, nothing forced so nothing to send",
                view("patroni2", s1, Duration.ofSeconds(4)), stale(), List.of(),
                "not confirmed for 4000 ms: routing handed back"},
            {"never confirmed: hand back and lift a forced maint",
                view("patroni2", s1, null), leaderForced,
                List.of("set server primary/patroni2 state ready"), "never confirmed"},
            {"a stale claim in its promotion grace: never pushed up, forced down at once",
                staleClaim("patroni1"), stale(),
                List.of("set server primary/patroni1 health down", "shutdown sessions server primary/patroni1"),
                "no writer routed: patroni1 overwrote patroni2's leader key"},
            {"a stale claim HAProxy already routes nowhere: nothing to send",
                staleClaim("patroni2"), settled().stream().map(x -> x.backend().equals("primary")
                        ? s("primary", x.server(), DOWN) : x).toList(), List.of(), "no writer routed"},
            {"no leader key: hands off",
                view(null, null, s1), stale(), List.of(), "no leader key"},
            {"leader forced into maint by someone: made ready",
                view("patroni2", Duration.ofSeconds(60), s1), leaderForced,
                List.of("set server primary/patroni2 state ready"), "1 change(s)"},
            {"leader unknown to HAProxy",
                view("patroni7", s1, s1), settled(),
                List.of("set server primary/patroni2 health down", "shutdown sessions server primary/patroni2"),
                "patroni7 has no server in backend primary"},
            {"replica the agent calls up but HAProxy has down: pushed up",
                view("patroni2", s1, s1, Map.of("patroni3", agent("patroni3", "up", 100, s1))), replica3Down,
                List.of("set server replicas/patroni3 health up"), "1 change(s)"},
            {"replica weight from the agent",
                view("patroni2", s1, s1, Map.of("patroni3", agent("patroni3", "50%", 50, s1))),
                List.of(new ServerState("replicas", "patroni3", "a", UP, 0, 10, 10)),
                List.of("set server replicas/patroni3 weight 50%"), "patroni2 has no server in backend primary"},
            {"no agent status (its lease expired): nothing pushed for it",
                view("patroni2", s1, s1, Map.of("patroni1", agent("patroni1", "up", 100, s1))),
                replica3Down, List.of(), "agrees"},
            {"agent says down: left to agent-check",
                view("patroni2", s1, s1, Map.of("patroni1", agent("patroni1", "down", 0, s1))), settled(),
                List.of(), "agrees"},
        };
        for (Object[] r : rows) {
            @SuppressWarnings("unchecked")
            HookDecision d = POLICY.decide((ClusterView) r[1], (List<ServerState>) r[2], NOW);
            assertEquals(r[3], commands(d), (String) r[0]);
            assertTrue(d.reason().contains((String) r[4]), r[0] + ": " + d.reason());
            d.actions().forEach(a -> assertTrue(!a.reason().isBlank() && !a.kind().isBlank(), a.toString()));
        }
    }

    @Test
    void neverSendsMaint() {
        // Maint is sticky without the hook; the policy must only send states HAProxy's checks can lift.
        for (String leader : new String[] {"patroni1", "patroni2", "patroni3", null}) {
            HookDecision d = POLICY.decide(view(leader, Duration.ZERO, Duration.ZERO), stale(), NOW);
            commands(d).forEach(c -> assertTrue(!c.contains("maint") && !c.contains("drain"), c));
        }
    }
}
