package io.pgha.agent.gossip;

import io.pgha.agent.json.OmitNulls;
import java.util.List;
import java.util.Objects;

/**
 * What the HAProxy hook publishes under {@code <hook prefix><name>}: HAProxy's server states as the hook last
 * read them from the admin socket, and the runtime-API commands it last pushed with their reasons. It lives
 * here, beside {@link AgentStatus}, because every agent's {@link ClusterView} carries it (the status page of
 * any node shows HAProxy's view), and gossip must not depend on the hook package. Readers ignore unknown
 * fields; {@code schema} only goes up for incompatible changes. Times are epoch milliseconds of the hook's
 * clock. Nothing secret goes in: no socket path, no stats credentials.
 *
 * @param readAtMillis       the last successful {@code show servers state}; null before the first one
 * @param socketOk           whether the last read succeeded; when false, servers are those of the last good read
 * @param socketError        why the last read failed (no paths), null when it succeeded
 * @param failingSinceMillis the first failed read of the current run of failures, null when reads succeed
 * @param decision           the hook policy's sentence for its last round
 * @param handedBack         the hook does not trust its etcd view: HAProxy's own checks route alone
 * @param publishedAtMillis  when this value was written to etcd (0 on the hook's own GET /hook)
 * @param refreshMillis      the hook rewrites an unchanged value at least this often: an older
 *                           publishedAtMillis means a reader's watch or the hook's publisher is stuck
 * @param unreadable         set only by readers, for a value in etcd they could not read (the rest is empty)
 */
@OmitNulls
public record HookStatus(
        int schema,
        String hook,
        Long readAtMillis,
        boolean socketOk,
        String socketError,
        Long failingSinceMillis,
        String decision,
        boolean handedBack,
        List<Server> servers,
        List<Action> actions,
        long publishedAtMillis,
        long refreshMillis,
        String unreadable) {

    public static final int SCHEMA = 1;

    public HookStatus {
        servers = servers == null ? List.of() : servers.stream().filter(Objects::nonNull).toList();
        actions = actions == null ? List.of() : actions.stream().filter(Objects::nonNull).toList();
    }

    /**
     * One server line of {@code show servers state}, reduced to what an operator reads.
     *
     * @param state UP, DOWN, DRAIN or MAINT, as HAProxy's stats page would say it
     */
    @OmitNulls
    public record Server(String backend, String server, String state, int weight, int initialWeight, int opState,
            int adminState) {
    }

    /**
     * A command the hook pushed. The same command with the same outcome sent again in consecutive rounds (as
     * during the promotion grace) is one entry with a count, so the list shows history, not repetition.
     *
     * @param outcome ok, refused (HAProxy answered with an error) or error (the socket failed)
     */
    @OmitNulls
    public record Action(long atMillis, long lastAtMillis, int times, String command, String kind, String reason,
            String outcome) {
    }

    /** The empty view of a hook that has not read HAProxy yet. */
    public static HookStatus starting(String hook, long refreshMillis) {
        return new HookStatus(SCHEMA, hook, null, false, "not read yet", null, null, false, List.of(), List.of(), 0,
                refreshMillis, null);
    }

    /** What a reader shows for a value under a hook key that it could not read. */
    public static HookStatus unreadable(String hook, String why) {
        return new HookStatus(0, hook, null, false, null, null, null, false, List.of(), List.of(), 0, 0, why);
    }

    public HookStatus publishedAt(long millis) {
        return new HookStatus(schema, hook, readAtMillis, socketOk, socketError, failingSinceMillis, decision,
                handedBack, servers, actions, millis, refreshMillis, unreadable);
    }
}
