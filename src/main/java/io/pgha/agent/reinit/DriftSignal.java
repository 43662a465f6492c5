package io.pgha.agent.reinit;

/** The ways a replica can drift so far that only a fresh copy brings it back. */
public enum DriftSignal {
    NOT_STREAMING("has not streamed WAL from the leader"),
    TIMELINE_BEHIND("stays on an older timeline than the leader"),
    START_FAILED("has a PostgreSQL that Patroni cannot start"),
    LEFT_STOPPED("has a PostgreSQL that Patroni leaves stopped"),
    LAG_HARD("lags beyond the hard limit"),
    REWIND_FAILED("reports a failed pg_rewind");

    private final String phrase;

    DriftSignal(String phrase) {
        this.phrase = phrase;
    }

    public String phrase() {
        return phrase;
    }
}
