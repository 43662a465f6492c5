package io.pgha.agent.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which backups may go. Pure: it sees only entries built from manifests this agent wrote (so a file without
 * one can never be named), and per database it never deletes the newest good backup, whatever the limits say:
 * a retention rule that leaves zero restorable backups is the failure it exists to prevent.
 */
public final class RetentionPolicy {

    /** One backup as its manifest describes it; {@code good} = dumped and verified. */
    public record Entry(String id, String database, Instant endedAt, boolean good) {
    }

    public record Retention(List<String> delete, String reason) {
    }

    private final int keepCount;
    private final Duration keepAge;

    public RetentionPolicy(int keepCount, Duration keepAge) {
        this.keepCount = Math.max(1, keepCount);
        this.keepAge = keepAge;
    }

    public Retention decide(List<Entry> entries, Instant now) {
        Map<String, List<Entry>> byDb = new TreeMap<>();
        for (Entry e : entries) {
            byDb.computeIfAbsent(e.database(), k -> new ArrayList<>()).add(e);
        }
        List<String> delete = new ArrayList<>();
        List<String> why = new ArrayList<>();
        Instant cutoff = now.minus(keepAge);
        for (Map.Entry<String, List<Entry>> db : byDb.entrySet()) {
            List<Entry> list = new ArrayList<>(db.getValue());
            list.sort(Comparator.comparing(Entry::endedAt).reversed().thenComparing(Entry::id));
            Entry newestGood = list.stream().filter(Entry::good).findFirst().orElse(null);
            int goodSeen = 0;
            int byCount = 0;
            int byAge = 0;
            int superseded = 0;
            for (Entry e : list) {
                if (e == newestGood) {
                    goodSeen++;
                    continue;
                }
                if (!e.good()) {
                    // A failed backup is kept for inspection until a good one is newer than it.
                    if (newestGood != null && e.endedAt().isBefore(newestGood.endedAt())) {
                        delete.add(e.id());
                        superseded++;
                    }
                    continue;
                }
                goodSeen++;
                if (goodSeen > keepCount) {
                    delete.add(e.id());
                    byCount++;
                } else if (e.endedAt().isBefore(cutoff)) {
                    delete.add(e.id());
                    byAge++;
                }
            }
            if (byCount + byAge + superseded > 0) {
                why.add(db.getKey() + ": " + byCount + " beyond the newest " + keepCount + ", " + byAge
                        + " older than " + keepAge + ", " + superseded + " failed ones superseded; newest good "
                        + (newestGood == null ? "none" : newestGood.id()) + " kept");
            }
        }
        return new Retention(List.copyOf(delete), why.isEmpty() ? "nothing to delete" : String.join("; ", why));
    }
}
