package io.pgha.agent.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * Open-loop agent checks at a fixed rate, the way HAProxy issues them: each check on its own connection
 * (connect, send the role line, read until the agent closes), started on schedule whether or not earlier ones
 * have finished. One thread and non-blocking sockets, so the client adds no thread hand-off or wake-up of its own
 * to the figures (the earlier thread-pool client did: against a bare server its p99 was 2.7 ms, against this
 * one it is a fraction of that). A check's latency runs from its connect() to the agent's close. Because the
 * sender never waits for the agent, a stalled agent cannot slow the schedule down and hide its own stall
 * (coordinated omission); how late each connect() was against the schedule is reported as the slip.
 */
final class PacedChecks {

    /** Latencies of the completed checks (sorted, ns), failures, achieved rate and schedule slip. */
    record Result(long[] sortedNanos, int errors, double achievedPerSecond, long slipP99Nanos, long slipMaxNanos) { }

    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(2);

    private PacedChecks() {
    }

    static Result run(InetSocketAddress agent, byte[] request, int rate, int seconds) throws IOException {
        int total = rate * seconds;
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long[] lat = new long[total];
        long[] slip = new long[total];
        int done = 0;
        int errors = 0;
        int sent = 0;
        ByteBuffer in = ByteBuffer.allocateDirect(1024);
        try (Selector selector = Selector.open()) {
            long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
            long lastProgress = t0;
            while (done + errors < total) {
                long now = System.nanoTime();
                for (long due = t0 + sent * interval; sent < total && due <= now; due = t0 + sent * interval) {
                    slip[sent] = now - due;
                    if (!start(selector, agent, request, now)) {
                        errors++;
                    }
                    sent++;
                    now = System.nanoTime();
                }
                long wait = sent < total ? t0 + sent * interval - now : GIVE_UP_NANOS;
                // select() counts whole milliseconds, so a check may start up to ~1 ms late (the slip); polling
                // with selectNow() instead kept one core busy and, on two cores, slowed the agent it measured.
                int ready = selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
                if (ready == 0 && sent == total && System.nanoTime() - lastProgress > GIVE_UP_NANOS) {
                    errors += total - done - errors; // what never finished counts as failed
                    break;
                }
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    long outcome = step(key, request, in);
                    if (outcome > 0) {
                        lat[done++] = outcome;
                        lastProgress = System.nanoTime();
                    } else if (outcome < 0) {
                        errors++;
                        lastProgress = System.nanoTime();
                    }
                }
            }
            double took = (System.nanoTime() - t0) / 1e9;
            long[] sorted = Arrays.copyOf(lat, done);
            Arrays.sort(sorted);
            Arrays.sort(slip, 0, sent);
            return new Result(sorted, errors, (done + errors) / took, slip[(int) Math.max(0, Math.ceil(0.99 * sent) - 1)],
                    sent == 0 ? 0 : slip[sent - 1]);
        }
    }

    /** One check in flight: when it started and how much of the reply has arrived. */
    private static final class Check {
        final long startNanos;
        int replyBytes;
        boolean lineEnded;

        Check(long startNanos) {
            this.startNanos = startNanos;
        }
    }

    private static boolean start(Selector selector, InetSocketAddress agent, byte[] request, long now) {
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Check check = new Check(now);
            if (ch.connect(agent)) {
                ch.write(ByteBuffer.wrap(request));
                ch.register(selector, SelectionKey.OP_READ, check);
            } else {
                ch.register(selector, SelectionKey.OP_CONNECT, check);
            }
            return true;
        } catch (IOException e) {
            close(ch);
            return false;
        }
    }

    /** Advances one check: its latency in ns when the agent closed after a whole line, -1 on failure, 0 if not yet. */
    private static long step(SelectionKey key, byte[] request, ByteBuffer in) {
        SocketChannel ch = (SocketChannel) key.channel();
        Check check = (Check) key.attachment();
        try {
            if (key.isConnectable()) {
                ch.finishConnect();
                ch.write(ByteBuffer.wrap(request));
                key.interestOps(SelectionKey.OP_READ);
                return 0;
            }
            in.clear();
            int n = ch.read(in);
            if (n > 0) {
                check.replyBytes += n;
                check.lineEnded = in.get(in.position() - 1) == '\n';
                return 0;
            }
            long took = System.nanoTime() - check.startNanos;
            close(ch);
            return check.replyBytes > 0 && check.lineEnded ? Math.max(1, took) : -1;
        } catch (IOException e) {
            close(ch);
            return -1;
        }
    }

    private static void close(SocketChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // nothing to lose on a bench connection
            }
        }
    }
}
