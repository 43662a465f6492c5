package io.pgha.agent.node;

/**
 * Patroni's leader key with the etcd metadata that says how its holder got it. A member acquires the lock by
 * creating the key (Patroni's transaction compares create_revision == 0), so the value the key had at its create
 * revision names whoever won that term. A holder different from that creator took the key over by a plain
 * write: what Patroni before 3.0.3 does when a leader cut off or frozen past the TTL comes back with a stale
 * view (patroni#2693), overwriting the key of the member that was promoted meanwhile.
 *
 * @param holder         the key's value now
 * @param createRevision the revision at which the key was created (the term)
 * @param modRevision    the revision of the last write
 * @param lease          the etcd lease the key is bound to (0 for none)
 * @param creator        the key's value at its create revision; null while unknown (not read yet, or compacted)
 */
public record LeaderClaim(String holder, long createRevision, long modRevision, long version, long lease,
        String creator) {

    /** The key as it stands, its creator not looked up yet (a version-1 key's creator is its holder). */
    public static LeaderClaim of(String holder, long createRevision, long modRevision, long version, long lease) {
        return new LeaderClaim(holder, createRevision, modRevision, version, lease, version == 1 ? holder : null);
    }

    public LeaderClaim withCreator(String c) {
        return new LeaderClaim(holder, createRevision, modRevision, version, lease, c);
    }

    public boolean creatorKnown() {
        return creator != null;
    }

    /** Written by someone other than the member that created it: a takeover, not an acquisition. */
    public boolean overwritten() {
        return creator != null && !creator.equals(holder);
    }
}
