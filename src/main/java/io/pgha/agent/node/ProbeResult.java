package io.pgha.agent.node;

import java.time.Duration;

/** The result of one call to one target: how it ended, a short detail for humans, and how long it took. */
public record ProbeResult(Outcome outcome, String detail, Duration took) {

    public static ProbeResult ok(Duration took) {
        return new ProbeResult(Outcome.OK, "ok", took);
    }

    public static ProbeResult failed(Outcome outcome, String detail, Duration took) {
        return new ProbeResult(outcome, detail, took);
    }

    public boolean succeeded() {
        return outcome == Outcome.OK;
    }

    // Not named isX/getX: Jackson would then add these derived values to the /status JSON as if observed.

    /** A phrase for reasons: "refused the connection", "timed out after 500 ms", "failed: ...". */
    public String describe() {
        return switch (outcome) {
            case OK -> "answered";
            case REFUSED -> "refused the connection";
            case TIMEOUT -> "timed out after " + took.toMillis() + " ms";
            case ERROR -> "failed: " + detail;
        };
    }
}
