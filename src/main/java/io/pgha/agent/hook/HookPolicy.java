package io.pgha.agent.hook;

import io.pgha.agent.gossip.AgentStatus;
import io.pgha.agent.gossip.ClusterView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides which runtime-API commands bring HAProxy in line with the cluster view. Pure: view, HAProxy's
 * server states and the time in; commands with reasons out.
 *
 * <p>Why no {@code state maint}: maint is sticky. If the hook dies, nothing lifts it, and after the next
 * switchover the new leader would stay in maint with writes refused. Instead non-leaders get
 * {@code set server ... health down} (plus {@code shutdown sessions}), a forced check result that HAProxy's own
 * checks (Patroni REST + agent-check) overwrite as soon as they disagree. So a dead or stalled hook leaves
 * routing to the checks within one check interval, by construction: nothing has to be undone. The leader
 * gets {@code health up} and {@code agent up} (after a forced state HAProxy would otherwise wait for a check
 * that fails mid-promotion), re-sent during the promotion grace because the new leader's own agent keeps
 * answering {@code down} until its next cycle sees the promotion. Only a server someone forced into maint or
 * drain is set {@code state ready}, and only if it is the leader, or when handing routing back.
 */
public final class HookPolicy {

    public static final String PRIMARY = "primary";
    public static final String REPLICAS = "replicas";

    /** @param confirmTimeout  an older confirmation means the view is not trusted */
    public record Settings(Duration confirmTimeout, Duration promotionGrace) {
    }

    private final Settings settings;

    public HookPolicy(Settings settings) {
        this.settings = settings;
    }

    public HookDecision decide(ClusterView view, List<ServerState> servers, Instant now) {
        if (view.confirmedAt() == null
                || Duration.between(view.confirmedAt(), now).compareTo(settings.confirmTimeout()) > 0) {
            return handBack(view, servers, now);
        }
        String leader = view.leader();
        if (leader == null) {
            return new HookDecision(List.of(), "no leader key in etcd: HAProxy's checks decide until one appears",
                    false);
        }
        if (view.leaderClaimStale()) {
            return fenceStale(view, servers);
        }
        List<HookAction> actions = new ArrayList<>();
        boolean leaderKnown = false;
        boolean inGrace = view.leaderSince() != null
                && Duration.between(view.leaderSince(), now).compareTo(settings.promotionGrace()) <= 0;
        for (ServerState s : servers) {
            if (s.backend().equals(PRIMARY)) {
                if (s.server().equals(leader)) {
                    leaderKnown = true;
                    primaryLeader(s, inGrace, actions);
                } else if (!s.down()) {
                    down(s, s.server() + " is not the leader (etcd names " + leader + ")", actions);
                }
            } else if (s.backend().equals(REPLICAS)) {
                if (s.server().equals(leader)) {
                    if (!s.down()) {
                        down(s, s.server() + " is the leader; replicas take read-only traffic only", actions);
                    }
                } else {
                    replica(s, view.agents().get(s.server()), now, actions);
                }
            }
        }
        String reason = !leaderKnown
                ? "leader " + leader + " has no server in backend primary; HAProxy's checks decide"
                : actions.isEmpty() ? "HAProxy agrees with etcd: " + leader + " is the only writer"
                : "route writes to " + leader + ": " + actions.size() + " change(s)";
        return new HookDecision(actions, reason, false);
    }

    private void primaryLeader(ServerState s, boolean inGrace, List<HookAction> actions) {
        if (s.forced()) {
            actions.add(new HookAction("set server " + s.id() + " state ready", "ready",
                    s.server() + " is the leader but was forced into maint/drain"));
        }
        if (!s.up() && inGrace) {
            String why = s.server() + " holds the leader key; HAProxy still marks it down";
            actions.add(new HookAction("set server " + s.id() + " agent up", "agent-up", why));
            actions.add(new HookAction("set server " + s.id() + " health up", "health-up", why));
        }
    }

    private void replica(ServerState s, AgentStatus agent, Instant now, List<HookAction> actions) {
        // An agent's status lives on a lease of a few loop intervals and the agent republishes its verdicts when
        // they change (a stuck health loop turns them into "down, stale"), so a status present is a current one.
        if (agent == null || agent.verdict("replica") == null) {
            return;
        }
        AgentStatus.VerdictView v = agent.verdict("replica");
        int percent = switch (v.word()) {
            case "up", "ready" -> 100;
            default -> v.word().endsWith("%") ? v.weight() : -1;
        };
        if (percent < 0) {
            return; // down, drain, maint: the agent-check already says so directly, faster than gossip
        }
        if (s.down()) {
            actions.add(new HookAction("set server " + s.id() + " health up", "health-up",
                    s.server() + "'s agent says replica " + v.word() + " (" + v.cause() + ")"));
        }
        int expected = s.initialWeight() * percent / 100; // as HAProxy computes weight N%
        if (s.userWeight() != expected) {
            actions.add(new HookAction("set server " + s.id() + " weight " + percent + "%", "weight",
                    s.server() + "'s agent asks for " + percent + "% (" + v.cause() + ")"));
        }
    }

    private static void down(ServerState s, String why, List<HookAction> actions) {
        actions.add(new HookAction("set server " + s.id() + " health down", "health-down", why));
        actions.add(new HookAction("shutdown sessions server " + s.id(), "shutdown-sessions", why));
    }

    /**
     * The key's holder overwrote a newer leader's key (ClaimPolicy): nobody is pushed up for writes, and every
     * primary server HAProxy still routes to is forced down. HAProxy's checks would route the holder (Patroni says it
     * holds the lock); its agent says down on its next check, and this makes it so at once.
     */
    private HookDecision fenceStale(ClusterView view, List<ServerState> servers) {
        List<HookAction> actions = new ArrayList<>();
        for (ServerState s : servers) {
            if (s.backend().equals(PRIMARY) && !s.down()) {
                down(s, s.server().equals(view.leader()) ? s.server() + "'s leader claim is stale"
                        : s.server() + " is not the leader (etcd names " + view.leader() + ")", actions);
            }
        }
        return new HookDecision(actions, "no writer routed: " + view.leaderClaim().reason(), false);
    }

    private HookDecision handBack(ClusterView view, List<ServerState> servers, Instant now) {
        String age = view.confirmedAt() == null ? "never confirmed"
                : "not confirmed for " + Duration.between(view.confirmedAt(), now).toMillis() + " ms";
        List<HookAction> actions = new ArrayList<>();
        for (ServerState s : servers) {
            if (s.forced()) {
                actions.add(new HookAction("set server " + s.id() + " state ready", "ready",
                        "view " + age + ": lift the forced state so HAProxy's checks decide"));
            }
        }
        return new HookDecision(actions, "etcd view " + age + ": routing handed back to HAProxy's checks", true);
    }
}
