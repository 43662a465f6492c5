package io.pgha.agent.config;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * The agent's one clock: wall time that never jumps. Every age the agent decides on (a stale snapshot, etcd unread
 * for longer than its grace, a view not confirmed, a lease no longer fresh) is the difference of two of its
 * instants, so a wall clock stepped by five minutes (a bad NTP source, an operator's {@code date -s}) would fence a
 * healthy writer at once, or, stepped back, hide a hung loop for five minutes. This clock advances with the
 * monotonic clock and follows the wall clock exactly while the two agree; when the wall clock steps, it moves toward
 * it at a tenth of real time (NTP-style slewing, faster), so a measured duration is off by at most 10% and
 * timestamps agree with the wall again after ten times the step. It never runs backwards.
 */
public final class SteadyClock extends Clock {

    private static final Logger LOG = Logger.getLogger(SteadyClock.class);
    /** A difference up to this is followed at once: NTP's own slewing and reading jitter. */
    static final long TOLERANCE_NANOS = 50_000_000L;
    /** How fast a step is absorbed: this fraction of the real time that passes. */
    static final double SLEW = 0.1;

    private final LongSupplier wallMillis;
    private final LongSupplier monoNanos;
    private boolean started;
    private long lastMono;
    /** This clock's reading minus the monotonic clock, in nanoseconds. */
    private long offset;
    private long lastReported;

    public SteadyClock() {
        this(System::currentTimeMillis, System::nanoTime);
    }

    SteadyClock(LongSupplier wallMillis, LongSupplier monoNanos) {
        this.wallMillis = wallMillis;
        this.monoNanos = monoNanos;
    }

    @Override
    public synchronized Instant instant() {
        long mono = monoNanos.getAsLong();
        long target = wallMillis.getAsLong() * 1_000_000L - mono;
        if (!started) {
            started = true;
            offset = target;
        } else {
            long gap = target - offset;
            if (Math.abs(gap) <= TOLERANCE_NANOS) {
                // Never backwards: a small step back is taken only as far as time has passed since the last reading.
                offset = Math.max(target, offset - (mono - lastMono));
            } else {
                long step = (long) Math.min(Math.abs(gap), SLEW * Math.max(0, mono - lastMono));
                offset += gap > 0 ? step : -step;
                report(gap);
            }
        }
        lastMono = mono;
        long nanos = mono + offset;
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    /** Logs a step once when first seen (not again while it is being absorbed, unless it grows by a second). */
    private void report(long gap) {
        if (Math.abs(gap - lastReported) < 1_000_000_000L) {
            return;
        }
        lastReported = gap;
        double s = gap / 1e9;
        LOG.warnf("the wall clock is %s s %s this agent's clock; following it at %.0f%% of real time (about %s s) so "
                + "that no age the agent decides on jumps", String.format(Locale.ROOT, "%.1f", Math.abs(s)),
                s > 0 ? "ahead of" : "behind", SLEW * 100, String.format(Locale.ROOT, "%.0f", Math.abs(s) / SLEW));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
