package io.pgha.agent.hook;

import io.pgha.agent.gossip.HookStatus;
import io.pgha.agent.gossip.LeasePublisher;
import io.pgha.agent.gossip.PublishPolicy.Decision;
import io.pgha.agent.gossip.PublishPolicy.Step;
import io.pgha.agent.gossip.PublishPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds the hook's view of HAProxy ({@link HookStatus}) from what each round saw and did, and decides when
 * to write it to etcd ({@link LeasePublisher}). Pure: the previous view, the round's facts and the time in, the next
 * view out.
 *
 * <p>Why a failed read keeps the old servers: an operator looking at an outage wants the last state HAProxy
 * was known to be in, marked as such (socketOk false, the error, since when, and the age of the last good
 * read), rather than an empty table that looks like "HAProxy has no servers".
 */
public final class HookViewPolicy implements LeasePublisher.Rule<HookStatus> {

    /** Enough to see the last switchover's pushes and what came before. */
    public static final int MAX_ACTIONS = 10;
    /**
     * The same command with the same reason and outcome within this window is counted into its entry instead
     * of added: during the promotion grace the hook re-sends agent/health up every round (up to 50 times).
     */
    static final Duration REPEAT_WINDOW = Duration.ofSeconds(30);

    private static final int MAINT = 0x01 | 0x02 | 0x04 | 0x20; // forced, inherited, config, resolution
    private static final int DRAIN = 0x08 | 0x10;                // forced, inherited

    private final String hook;
    private final Duration refresh;
    private final PublishPolicy lease;

    /**
     * @param refresh an unchanged view is rewritten this often, so readers can tell a live one from a stuck one
     * @param lease   when an unchanged view's lease needs keeping alive: the agents' rule (half the TTL)
     */
    public HookViewPolicy(String hook, Duration refresh, PublishPolicy lease) {
        this.hook = hook;
        this.refresh = refresh;
        this.lease = lease;
    }

    public HookStatus starting() {
        return HookStatus.starting(hook, refresh.toMillis());
    }

    /** A successful {@code show servers state}: the servers as HAProxy has them now. */
    public HookStatus read(HookStatus prev, List<ServerState> servers, Instant now) {
        List<HookStatus.Server> out = servers.stream().map(s -> new HookStatus.Server(s.backend(), s.server(),
                word(s), s.userWeight(), s.initialWeight(), s.opState(), s.adminState())).toList();
        return new HookStatus(HookStatus.SCHEMA, hook, now.toEpochMilli(), true, null, null, prev.decision(),
                prev.handedBack(), out, prev.actions(), 0, refresh.toMillis(), null);
    }

    /** A failed read: the last good servers stay, marked as old, with why and since when reads fail. */
    public HookStatus readFailed(HookStatus prev, String error, Instant now) {
        Long since = prev.failingSinceMillis() != null ? prev.failingSinceMillis() : Long.valueOf(now.toEpochMilli());
        return new HookStatus(HookStatus.SCHEMA, hook, prev.readAtMillis(), false, describe(error), since,
                "cannot read HAProxy's server states: HAProxy's own checks route meanwhile", prev.handedBack(),
                prev.servers(), prev.actions(), 0, refresh.toMillis(), null);
    }

    /**
     * What the round decided, and, when it sent commands, their outcome.
     *
     * @param outcome ok, refused or error; null when the decision had no commands (nothing was sent)
     */
    public HookStatus decided(HookStatus prev, HookDecision d, String outcome, Instant now) {
        List<HookStatus.Action> actions = new ArrayList<>(prev.actions());
        long at = now.toEpochMilli();
        for (HookAction a : outcome == null ? List.<HookAction>of() : d.actions()) {
            int same = -1;
            for (int i = 0; i < actions.size() && same < 0; i++) {
                HookStatus.Action x = actions.get(i);
                if (x.command().equals(a.command()) && Objects.equals(x.reason(), a.reason())
                        && x.outcome().equals(outcome) && at - x.lastAtMillis() <= REPEAT_WINDOW.toMillis()) {
                    same = i;
                }
            }
            if (same >= 0) {
                HookStatus.Action x = actions.get(same);
                actions.set(same, new HookStatus.Action(x.atMillis(), at, x.times() + 1, x.command(), x.kind(),
                        x.reason(), outcome));
            } else {
                actions.add(0, new HookStatus.Action(at, at, 1, a.command(), a.kind(), a.reason(), outcome));
            }
        }
        List<HookStatus.Action> kept = actions.subList(0, Math.min(MAX_ACTIONS, actions.size()));
        return new HookStatus(HookStatus.SCHEMA, hook, prev.readAtMillis(), prev.socketOk(), prev.socketError(),
                prev.failingSinceMillis(), d.reason(), d.handedBack(), prev.servers(), kept, 0, refresh.toMillis(),
                null);
    }

    /**
     * When to write the view to etcd: on a change of what it says, when someone else overwrote the key, and
     * at least every refresh; otherwise only the lease is kept alive (etcd writes are raft writes).
     *
     * @param written   what this hook last wrote, null before the first write
     * @param lastPut   when it wrote it, null before the first write
     * @param renewedAt when its lease was last granted or kept alive, null when never
     */
    public Decision publish(HookStatus current, HookStatus written, boolean haveLease, boolean tampered,
            Instant lastPut, Instant renewedAt, Instant now) {
        if (current == null) {
            return new Decision(Step.WAIT, "no view of HAProxy yet");
        }
        if (!haveLease) {
            return new Decision(Step.GRANT_AND_PUT, written == null
                    ? "first publication of HAProxy's view: grant a lease and write it"
                    : "lease lost or etcd was unreachable: grant a new lease and republish HAProxy's view");
        }
        if (tampered) {
            return new Decision(Step.PUT, "the hook's key holds a value this hook did not write: rewrite it");
        }
        if (!sameFacts(current, written)) {
            return new Decision(Step.PUT, "HAProxy's view changed");
        }
        if (lastPut == null || Duration.between(lastPut, now).compareTo(refresh) >= 0) {
            return new Decision(Step.PUT, "unchanged for " + refresh.toSeconds() + " s: refresh its time stamps");
        }
        if (lease.leaseFresh(renewedAt, now)) {
            return new Decision(Step.WAIT, PublishPolicy.FRESH);
        }
        return new Decision(Step.KEEP_ALIVE, "unchanged: keep the lease alive");
    }

    @Override
    public Decision step(HookStatus current, HookStatus written, boolean haveLease, boolean tampered, Instant lastPut,
            Instant renewedAt, Instant now) {
        return publish(current, written, haveLease, tampered, lastPut, renewedAt, now);
    }

    /** Only a new lease is news: a changed view is written every few seconds during a switchover. */
    @Override
    public boolean logged(Decision d) {
        return d.step() == Step.GRANT_AND_PUT;
    }

    /** Written with the time of writing, so readers can tell a live view from a stuck one. */
    @Override
    public HookStatus stamped(HookStatus current, Instant now) {
        return current.publishedAt(now.toEpochMilli());
    }

    @Override
    public HookStatus remembered(HookStatus current) {
        return current;
    }

    /**
     * Same facts for a reader, ignoring times, repeat counts and the numbers in sentences (a handed-back
     * view's reason counts milliseconds every round; it must not cause a write every tick).
     */
    public static boolean sameFacts(HookStatus a, HookStatus b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.socketOk() == b.socketOk() && a.handedBack() == b.handedBack()
                && Objects.equals(shape(a.socketError()), shape(b.socketError()))
                && Objects.equals(shape(a.decision()), shape(b.decision()))
                && Objects.equals(a.failingSinceMillis(), b.failingSinceMillis())
                && a.servers().equals(b.servers())
                && a.actions().stream().map(HookViewPolicy::identity).toList()
                        .equals(b.actions().stream().map(HookViewPolicy::identity).toList());
    }

    private static String identity(HookStatus.Action x) {
        return x.atMillis() + " " + x.command() + " " + x.outcome();
    }

    private static String shape(String sentence) {
        return sentence == null ? null : sentence.replaceAll("\\d+", "#");
    }

    /** UP, DOWN, DRAIN or MAINT: admin flags first (they override checks), then the operational state. */
    public static String word(ServerState s) {
        if ((s.adminState() & MAINT) != 0) {
            return "MAINT";
        }
        if ((s.adminState() & DRAIN) != 0) {
            return "DRAIN";
        }
        return switch (s.opState()) {
            case 0 -> "DOWN";
            case 3 -> "DRAIN"; // stopping: up but taking no new sessions (a soft stop or a 404 check)
            default -> s.userWeight() == 0 ? "DRAIN" : "UP"; // 1 starting (slow start) already takes traffic
        };
    }

    /**
     * The read error without paths: the admin socket's path says where the hook runs and is no one's business
     * on a status page; the kind of failure is what an operator needs.
     */
    public static String describe(String error) {
        if (error == null || error.isBlank()) {
            return "admin socket read failed";
        }
        String clean = error.replaceAll("(?<![\\w.])/[^\\s:;,)]*", "<admin socket>").strip();
        return clean.length() > 200 ? clean.substring(0, 200) : clean;
    }
}
