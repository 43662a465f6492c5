package io.pgha.agent.watchdog;

import java.time.Duration;
import java.util.Locale;

/**
 * Decides whether this node's PostgreSQL must be stopped before the leader key expires. Pure: facts in, a decision
 * with its sentence out; time enters only as the monotonic age of the last lease reading.
 *
 * <p>The rule is Patroni's own watchdog rule, applied to the lease instead of a timer device: Patroni renews the
 * leader key's lease on every HA loop, so a lease running down to the safety margin means the loop has stopped,
 * whatever the REST API answers. Another member can be promoted only after the key expired and its own Patroni has
 * seen that, so stopping PostgreSQL at the margin leaves no moment with two writers.
 *
 * <p>When etcd stops answering, the last reading is projected forward: nothing can renew the lease unseen for
 * long, because a Patroni that cannot reach etcd cannot renew it either and demotes itself (before the margin, with
 * Patroni's ttl, loop_wait and retry_timeout rules); at the projected margin the watchdog stops a PostgreSQL that
 * is still read-write. A key that moved to another member while its lease still had time was handed over on
 * purpose (switchover, shutdown, the crash fast path): Patroni demotes this node itself. Paused Patroni promotes
 * nobody, so it is left alone.
 */
public final class WatchdogPolicy {

    private final Duration margin;

    public WatchdogPolicy(Duration margin) {
        this.margin = margin;
    }

    public WatchdogDecision decide(WatchdogFacts f) {
        if (Boolean.FALSE.equals(f.writable())) {
            return WatchdogDecision.keep("not-writable",
                    "PostgreSQL here is not read-write (in recovery or stopped): nothing to fence");
        }
        if (f.paused()) {
            return WatchdogDecision.keep("paused", "Patroni is paused (maintenance mode): it promotes no one, so an "
                    + "expiring leader key cannot make a second writer");
        }
        WatchdogFacts.LeaseSeen seen = f.lastSeen();
        if (seen == null) {
            return f.mine()
                    ? WatchdogDecision.keep("no-reading", "leader; its lease not read yet"
                            + (f.readFailed() == null ? "" : " (" + f.readFailed() + ")"))
                    : WatchdogDecision.keep("not-leader", "the leader key names " + f.holder().orElse("no one")
                            + " and this node has not held it since PostgreSQL became read-write here: nothing to watch");
        }
        Duration left = seen.remaining().minus(f.sinceSeen());
        String lease = "the leader key's lease " + Long.toHexString(seen.lease());
        if (!f.mine()) {
            String now = f.holder().map(h -> "names " + h).orElse("is gone");
            if (left.compareTo(margin) > 0) {
                return WatchdogDecision.keep("handed-over", "the leader key " + now + " while " + lease + " still had "
                        + s(left) + ": handed over on purpose (switchover, shutdown or fast path); Patroni demotes this node");
            }
            return WatchdogDecision.fence("key-expired", "the leader key " + now + " and " + lease + " has run out ("
                    + s(left) + " left by the last reading) while PostgreSQL here is still read-write; stopping it");
        }
        if (f.readFailed() == null) {
            String unrenewed = s(seen.granted().minus(seen.remaining()));
            // left, not remaining: a reading is as good as its age, and one this check did not take is older.
            if (left.compareTo(margin) <= 0) {
                return WatchdogDecision.fence("lease-expiring", lease + " has " + s(seen.remaining()) + " of its "
                        + s(seen.granted()) + " left: Patroni has not renewed it for " + unrenewed + ", so its HA loop "
                        + "is stuck; stopping PostgreSQL before the key expires and another member is promoted");
            }
            return WatchdogDecision.keep("renewed", "leader; " + lease + " has " + s(seen.remaining()) + " of "
                    + s(seen.granted()) + " left");
        }
        if (left.compareTo(margin) <= 0) {
            return WatchdogDecision.fence("lease-unconfirmed", "etcd has not answered for " + s(f.sinceSeen()) + " ("
                    + f.readFailed() + "); " + lease + ", last seen with " + s(seen.remaining()) + " left, runs out in "
                    + s(left) + " unless renewed where this agent cannot see, and a Patroni cut off from etcd cannot "
                    + "renew it; stopping PostgreSQL before it expires");
        }
        return WatchdogDecision.keep("etcd-unreadable", "etcd did not answer (" + f.readFailed() + "); " + lease
                + " runs out in " + s(left) + " unless renewed, by the reading " + s(f.sinceSeen()) + " ago");
    }

    private static String s(Duration d) {
        return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }
}
