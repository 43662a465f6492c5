package io.pgha.agent.health;

import io.pgha.agent.node.EtcdStatus;
import io.pgha.agent.node.NodeSnapshot;
import io.pgha.agent.node.PatroniStatus;
import io.pgha.agent.node.PostgresStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides, from one snapshot, whether HAProxy may send primary, replica and any traffic here. No I/O, no
 * clock of its own: the same inputs always give the same verdicts. Every doubt answers {@code down}: an extra
 * outage of one interval is cheaper than a second writer.
 */
public final class HealthPolicy {

    private final HealthSettings settings;

    public HealthPolicy(HealthSettings settings) {
        this.settings = settings;
    }

    public HealthSettings settings() {
        return settings;
    }

    public Verdicts decide(NodeSnapshot s, Instant now) {
        Duration age = Duration.between(s.takenAt(), now);
        if (age.compareTo(settings.staleAfter()) > 0) {
            return stale(age, s.takenAt());
        }
        if (s.maintenance()) {
            String reason = "maintenance flag is set by the operator";
            Verdict v = settings.maintenanceDrains()
                    ? Verdict.drain("maintenance", reason)
                    : Verdict.maint("maintenance", reason);
            return Verdicts.all(v, s.takenAt());
        }
        return new Verdicts(primary(s, now), replica(s), any(s), s.takenAt());
    }

    /** What every role gets when the last snapshot is too old to trust (the loop hung or died). */
    public Verdicts stale(Duration age, Instant snapshotAt) {
        return Verdicts.all(Verdict.down("stale", "snapshot is " + Format.duration(age) + " old, over the "
                + Format.duration(settings.staleAfter()) + " limit; failing closed"), snapshotAt);
    }

    /** Before the first cycle finished there is nothing to route on. */
    public Verdicts noSnapshot(Instant now) {
        return Verdicts.all(Verdict.down("no-snapshot", "no health snapshot yet; failing closed"), now);
    }

    Verdict primary(NodeSnapshot s, Instant now) {
        PatroniStatus patroni = s.patroni();
        PostgresStatus pg = s.postgres();
        Optional<Verdict> common = patroniAndPostgres(s);
        if (common.isPresent()) {
            return common.get();
        }
        if (!patroni.actsAsLeader()) {
            return Verdict.down("not-leader", "Patroni role is " + patroni.role() + ", not the leader");
        }
        if (Boolean.TRUE.equals(pg.inRecovery())) {
            return Verdict.down("in-recovery",
                    "PostgreSQL is still in recovery although Patroni says leader (promotion not finished)");
        }
        EtcdStatus etcd = s.etcd();
        if (!etcd.everRead()) {
            return Verdict.down("etcd-unreadable",
                    "etcd has not been read since start (" + etcd.probe().describe() + "); fencing the writer");
        }
        Duration unread = Duration.between(etcd.lastReadAt(), now);
        if (!etcd.probe().succeeded() && unread.compareTo(settings.maxUnreadable()) > 0) {
            return Verdict.down("etcd-unreadable", "etcd unreadable for " + Format.duration(unread)
                    + " (limit " + Format.duration(settings.maxUnreadable()) + ", "
                    + etcd.probe().describe() + "); fencing the writer");
        }
        if (etcd.leader().isEmpty()) {
            return Verdict.down("leader-key-missing",
                    "leader key " + etcd.leaderKey() + " is missing in etcd; no one holds the lock");
        }
        String holder = etcd.leader().get();
        if (!holder.equals(settings.nodeName())) {
            return Verdict.down("split-brain", "split brain: this node acts as primary but etcd names "
                    + holder + " as leader");
        }
        if (etcd.staleClaim()) {
            return Verdict.down("stale-claim", etcd.claim().reason());
        }
        if (!etcd.probe().succeeded()) {
            return Verdict.up("leader-etcd-grace", "leader; etcd unreadable for " + Format.duration(unread)
                    + ", within the " + Format.duration(settings.maxUnreadable()) + " limit, last read named "
                    + holder);
        }
        return Verdict.up("leader", "leader, PostgreSQL read-write, etcd agrees");
    }

    Verdict replica(NodeSnapshot s) {
        Optional<Verdict> common = patroniAndPostgres(s);
        if (common.isPresent()) {
            return common.get();
        }
        PostgresStatus pg = s.postgres();
        if (s.patroni().noLoadBalance()) {
            return Verdict.down("noloadbalance", "Patroni tag noloadbalance is set; no read traffic");
        }
        if (!Boolean.TRUE.equals(pg.inRecovery())) {
            return Verdict.down("not-replica", "PostgreSQL is not in recovery; this node is not a replica");
        }
        String receiver = pg.walReceiverStatus() == null ? "not running" : pg.walReceiverStatus();
        Duration reconnecting = null;
        if (!pg.streaming()) {
            Duration since = s.streamedAt() == null ? null : Duration.between(s.streamedAt(), s.takenAt());
            if (since == null || since.compareTo(settings.reconnectGrace()) > 0) {
                return Verdict.down("not-streaming", "WAL receiver is " + receiver + ", not streaming"
                        + (since == null ? "" : " for " + Format.duration(since) + ", over the "
                                + Format.duration(settings.reconnectGrace()) + " reconnect grace"));
            }
            // A leader change restarts every WAL receiver: down here would cut all read sessions at once.
            reconnecting = since;
        }
        if (pg.replayLagBytes() == null || pg.replayLag() == null) {
            return Verdict.down("lag-unknown", "streaming but the replay lag is unknown");
        }
        long bytes = pg.replayLagBytes();
        Duration seconds = pg.replayLag();
        String lag = "lag " + Format.bytes(bytes) + " / " + Format.duration(seconds);
        if (bytes > settings.hardBytes() || seconds.compareTo(settings.hardLag()) > 0) {
            return Verdict.down("lag-hard", lag + " over the hard limit " + Format.bytes(settings.hardBytes())
                    + " / " + Format.duration(settings.hardLag()));
        }
        if (bytes > settings.softBytes() || seconds.compareTo(settings.softLag()) > 0) {
            return Verdict.drain("lag-soft", lag + " over the soft limit " + Format.bytes(settings.softBytes())
                    + " / " + Format.duration(settings.softLag()));
        }
        if (bytes > settings.weightStartBytes()) {
            int percent = weightFor(bytes);
            return Verdict.weight(percent, "lag-weight", lag + ", weight lowered to " + percent + "%");
        }
        if (reconnecting != null) {
            return Verdict.up("reconnecting", "WAL receiver is " + receiver + " for " + Format.duration(reconnecting)
                    + ", within the " + Format.duration(settings.reconnectGrace()) + " reconnect grace; " + lag);
        }
        return Verdict.up("streaming", "streaming, " + lag);
    }

    Verdict any(NodeSnapshot s) {
        return patroniAndPostgres(s).orElseGet(() ->
                Verdict.up("accepting", "PostgreSQL accepts connections and Patroni is running"));
    }

    /** Linear from 100% at weight-start to 1% at soft; 0% would silently equal drain. */
    int weightFor(long bytes) {
        double span = settings.softBytes() - settings.weightStartBytes();
        double over = bytes - settings.weightStartBytes();
        long percent = Math.round(100.0 - 99.0 * (over / span));
        return (int) Math.max(1, Math.min(99, percent));
    }

    /** Checks all roles share: Patroni must answer and run, PostgreSQL must accept a query. */
    private Optional<Verdict> patroniAndPostgres(NodeSnapshot s) {
        PatroniStatus patroni = s.patroni();
        if (!patroni.reachable()) {
            return Optional.of(Verdict.down("patroni-" + patroni.probe().outcome().name().toLowerCase(),
                    "Patroni API " + patroni.probe().describe() + "; a Patroni that does not answer cannot be trusted"));
        }
        if (!patroni.running()) {
            return Optional.of(Verdict.down("patroni-not-running",
                    "Patroni reports state " + patroni.state() + ", not running"));
        }
        PostgresStatus pg = s.postgres();
        if (!pg.reachable()) {
            return Optional.of(Verdict.down("postgres-" + pg.probe().outcome().name().toLowerCase(),
                    "PostgreSQL " + pg.probe().describe()));
        }
        return Optional.empty();
    }
}
