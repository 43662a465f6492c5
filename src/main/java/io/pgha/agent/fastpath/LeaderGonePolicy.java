package io.pgha.agent.fastpath;

import io.pgha.agent.fastpath.CrashEvidence.LeaderKey;
import io.pgha.agent.fastpath.CrashEvidence.PortState;
import io.pgha.agent.fastpath.CrashEvidence.PostmasterState;
import io.pgha.agent.fastpath.CrashEvidence.ProcessState;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether this node's leader is gone for good, so that its leader key may be released.
 *
 * <p>Why this is safe: PostgreSQL can only accept writes while a postmaster runs on the data
 * directory, and Patroni can only restart it while a Patroni process runs. The key is released only
 * when both are shown dead by positive evidence (a refused connection is the kernel saying nothing
 * listens; a timeout is not evidence, since a stopped or overloaded process times out too), on every
 * one of several consecutive checks, all of which saw the key at the same revision held by this node
 * through a quorum read. The release itself compares that revision, so a key taken in between by
 * another node is never touched. Pure: no I/O, time passed in.
 */
public final class LeaderGonePolicy {

    /**
     * @param enabled       whether the fast path may act at all
     * @param confirmations consecutive checks that must all show death (at least 2)
     * @param minSpacing    checks closer than this count as one (a burst proves less than a span)
     * @param maxGap        checks further apart than this break the chain (the picture went stale)
     */
    public record Settings(boolean enabled, int confirmations, Duration minSpacing, Duration maxGap) {
        public Settings {
            if (confirmations < 2) {
                throw new IllegalArgumentException("pgha.fast-path.confirmations must be at least 2, was " + confirmations);
            }
            if (minSpacing.isNegative() || maxGap.compareTo(minSpacing) <= 0) {
                throw new IllegalArgumentException("pgha.fast-path.max-gap (" + maxGap
                        + ") must be longer than pgha.fast-path.min-spacing (" + minSpacing + ")");
            }
        }
    }

    private final String node;
    private final Settings settings;

    public LeaderGonePolicy(String node, Settings settings) {
        this.node = node;
        this.settings = settings;
    }

    /** @param history checks in the order they were made, most recent last */
    public LeaderGoneDecision decide(List<CrashEvidence> history, Instant now) {
        if (!settings.enabled()) {
            return LeaderGoneDecision.keep("the crash fast path is off (pgha.fast-path.enabled=false)");
        }
        if (history.isEmpty()) {
            return LeaderGoneDecision.keep("no check has run yet");
        }
        CrashEvidence latest = history.get(history.size() - 1);
        if (Duration.between(latest.at(), now).compareTo(settings.maxGap()) > 0) {
            return LeaderGoneDecision.keep("the last check is " + Duration.between(latest.at(), now).toMillis()
                    + " ms old, older than " + settings.maxGap().toMillis() + " ms");
        }
        Optional<String> blocked = blocker(latest);
        if (blocked.isPresent()) {
            return LeaderGoneDecision.keep(blocked.get());
        }
        LeaderKey key = latest.leaderKey().orElseThrow();
        int confirmed = 1;
        Instant newest = latest.at();
        Instant oldest = latest.at();
        for (int i = history.size() - 2; i >= 0 && confirmed < settings.confirmations(); i--) {
            CrashEvidence e = history.get(i);
            Duration gap = Duration.between(e.at(), oldest);
            if (gap.compareTo(settings.maxGap()) > 0 || blocker(e).isPresent()
                    || !e.leaderKey().orElseThrow().equals(key)) {
                break;
            }
            if (gap.compareTo(settings.minSpacing()) >= 0) {
                confirmed++;
                oldest = e.at();
            }
        }
        if (confirmed < settings.confirmations()) {
            return LeaderGoneDecision.keep("Patroni and PostgreSQL look dead in " + confirmed + " of "
                    + settings.confirmations() + " checks; waiting for confirmation");
        }
        return LeaderGoneDecision.release(key, "releasing the leader key: " + node + " holds it at revision "
                + key.modRevision() + " but Patroni (" + describePatroni(latest) + ") and PostgreSQL ("
                + describePostgres(latest) + ") were dead in " + confirmed + " checks over "
                + Duration.between(oldest, newest).toMillis() + " ms");
    }

    /** Why this one check does not show a dead leader on this node, or empty when it does. */
    Optional<String> blocker(CrashEvidence e) {
        Optional<String> local = localBlocker(e);
        if (local.isPresent()) {
            return local;
        }
        if (!e.etcdQuorum()) {
            return Optional.of("etcd could not be read with a quorum");
        }
        if (e.leaderKey().isEmpty()) {
            return Optional.of("there is no leader key to release");
        }
        String holder = e.leaderKey().get().holder();
        if (!holder.equals(node)) {
            return Optional.of("the leader key names " + holder + ", not this node");
        }
        return Optional.empty();
    }

    /**
     * Whether the local evidence alone already shows both processes dead; only then is an etcd
     * read worth its cost (the checks run several times a second on every node).
     */
    public boolean worthReadingEtcd(CrashEvidence local) {
        return settings.enabled() && localBlocker(local).isEmpty();
    }

    private static Optional<String> localBlocker(CrashEvidence e) {
        if (!e.agentHealthy()) {
            return Optional.of("the agent itself is not healthy, so its evidence is not trusted");
        }
        if (e.patroniPort() != PortState.REFUSED) {
            return Optional.of(switch (e.patroniPort()) {
                case OPEN -> "Patroni's REST port accepts connections";
                case TIMEOUT -> "Patroni's REST port timed out: a hung Patroni is not a dead one";
                default -> "Patroni's REST port gave an error, which proves nothing";
            });
        }
        if (e.patroniProcess() == ProcessState.RUNNING) {
            return Optional.of("a Patroni process still exists although its port refuses connections");
        }
        if (e.postgresPort() != PortState.REFUSED) {
            return Optional.of(switch (e.postgresPort()) {
                case OPEN -> "PostgreSQL accepts connections (Patroni is down but PostgreSQL runs)";
                case TIMEOUT -> "PostgreSQL's port timed out: a hung postmaster is not a dead one";
                default -> "PostgreSQL's port gave an error, which proves nothing";
            });
        }
        if (e.postmaster() == PostmasterState.ALIVE) {
            return Optional.of("a live postmaster still owns the data directory");
        }
        if (e.postmaster() == PostmasterState.ORPHANS) {
            return Optional.of("the postmaster is gone but PostgreSQL processes still run in the data directory");
        }
        if (e.postmaster() == PostmasterState.UNKNOWN) {
            return Optional.of("postmaster.pid could not be read, so a live postmaster cannot be ruled out");
        }
        return Optional.empty();
    }

    private static String describePatroni(CrashEvidence e) {
        return "port refused, " + switch (e.patroniProcess()) {
            case ABSENT -> "no process";
            case UNKNOWN -> "processes not visible";
            case RUNNING -> "process running";
        };
    }

    private static String describePostgres(CrashEvidence e) {
        return "port refused, " + switch (e.postmaster()) {
            case ABSENT -> "no postmaster.pid";
            case DEAD -> "postmaster.pid names a dead PID";
            case REUSED -> "postmaster.pid names a PID now used by another process";
            default -> "postmaster " + e.postmaster().name().toLowerCase();
        };
    }
}
