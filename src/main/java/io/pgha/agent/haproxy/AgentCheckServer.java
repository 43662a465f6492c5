package io.pgha.agent.haproxy;

import io.pgha.agent.health.Verdict;
import io.pgha.agent.health.Verdicts;
import io.pgha.agent.metrics.AgentMetrics;
import io.pgha.agent.node.Role;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Answers HAProxy's agent checks: read at most one short line, answer one line from the cached verdicts, close.
 * No input within the read timeout means role {@code any}; a client that trickles bytes is cut at the same
 * deadline; more than {@link #MAX_OPEN} waiting connections get the oldest answered early, so idle connections
 * cannot pile up. The server touches nothing but the verdict supplier, so a hung probe never slows a check.
 *
 * <p>One thread with a selector accepts, reads, answers and closes. The check is the hot path, and on the
 * two-core machines it runs on every hand-off between threads is a wake-up that can wait: Vert.x's NetServer
 * accepts on one thread and reads on another, and measured with the same C client it had a p99 of 2.5-2.8 ms
 * where a single Java thread had 1.1 ms (docs/benchmarks.md). The thread blocks only in select(). A line that is
 * already there when its connection is accepted (HAProxy sends agent-send on connect) is answered at once, so
 * most checks cost one wake-up and never enter the selector.
 */
public final class AgentCheckServer {

    private static final Logger LOG = Logger.getLogger(AgentCheckServer.class);
    /** Waiting connections beyond which the oldest is answered at once (HAProxy holds one per server line). */
    static final int MAX_OPEN = 512;
    /** How long accepting pauses after accept() failed (out of file descriptors), instead of spinning on it. */
    static final long ACCEPT_PAUSE_NANOS = 100_000_000L;

    private final String host;
    private final int port;
    private final long readTimeoutNanos;
    private final Supplier<Verdicts> verdicts;
    private final AgentMetrics metrics;
    private final ArrayDeque<Exchange> waiting = new ArrayDeque<>();
    /** Reply bytes per role for the verdicts last seen: verdicts change once a loop, checks come far more often. */
    private final Map<Role, byte[]> replies = new EnumMap<>(Role.class);
    private Verdicts repliesFor;
    private volatile boolean running;
    private volatile int boundPort = -1;
    private Selector selector;
    private ServerSocketChannel listener;
    private SelectionKey listenerKey;
    /** When accepting resumes after a failed accept(); 0 while accepting. */
    private long acceptPausedUntil;
    private long lastAcceptWarning;
    private Thread thread;

    public AgentCheckServer(String host, int port, Duration readTimeout, Supplier<Verdicts> verdicts,
            AgentMetrics metrics) {
        this.host = host;
        this.port = port;
        this.readTimeoutNanos = Math.max(1, readTimeout.toNanos());
        this.verdicts = verdicts;
        this.metrics = metrics;
    }

    /** Binds now (a port in use fails startup here) and starts the serving thread. */
    public synchronized void start() throws IOException {
        selector = Selector.open();
        listener = ServerSocketChannel.open();
        try {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(new InetSocketAddress(host, port), 1024);
            listener.configureBlocking(false);
            listenerKey = listener.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            listener.close();
            selector.close();
            throw new IOException("agent-check cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        boundPort = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        running = true;
        thread = new Thread(this::serve, "pgha-agent-check");
        thread.setDaemon(true);
        thread.start();
    }

    /** The bound port; differs from the configured one when that was 0 (tests). -1 before start. */
    public int actualPort() {
        return boundPort;
    }

    public synchronized void stop() throws InterruptedException {
        if (!running) {
            return;
        }
        running = false;
        selector.wakeup();
        thread.join(2000);
        boundPort = -1;
    }

    private void serve() {
        try {
            while (running) {
                selector.select(waitMillis());
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    try {
                        if (key.isAcceptable()) {
                            acceptOne();
                        } else if (key.isReadable()) {
                            onReadable((Exchange) key.attachment());
                        } else if (key.isWritable()) {
                            flush((Exchange) key.attachment());
                        }
                    } catch (RuntimeException e) {
                        // One connection's surprise must not stop the server that HAProxy relies on.
                        LOG.warnf("agent-check: dropped a connection (%s)", e.toString());
                        if (key.attachment() instanceof Exchange x) {
                            close(x);
                        }
                    }
                }
                expire();
                resumeAccepting();
            }
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "agent-check: the server stopped serving");
        } finally {
            closeAll();
        }
    }

    /**
     * One connection per round: the listener stays ready while more wait, so the next select() comes back at once
     * with them and with the connections whose lines have arrived. Accepting until the backlog was empty let
     * clients answered on the spot reconnect fast enough to keep the loop here while registered connections
     * passed their deadline unread.
     */
    private void acceptOne() {
        SocketChannel ch = accept();
        if (ch == null) {
            return;
        }
        Exchange x = new Exchange(ch, System.nanoTime() + readTimeoutNanos);
        try {
            ch.configureBlocking(false);
            // HAProxy sends its agent-send line as soon as it is connected, so the line is often here already:
            // answered now, the check never touches the selector (no register, no second select, no
            // deregistration at close). No TCP_NODELAY: the one reply is the first segment, which Nagle does not
            // hold back.
            if (onReadable(x)) {
                return;
            }
            x.key = ch.register(selector, SelectionKey.OP_READ, x);
        } catch (IOException e) {
            close(x);
            return;
        } catch (RuntimeException e) {
            close(x); // the caller logs it; the listener key it catches it under does not know this channel
            throw e;
        }
        waiting.addLast(x);
        if (waiting.size() > MAX_OPEN) {
            deadline(waiting.peekFirst());
        }
    }

    private SocketChannel accept() {
        try {
            return listener.accept();
        } catch (IOException e) {
            // EMFILE and friends: the listener stays readable, so retrying at once would spin. Pause accepting
            // briefly (the backlog keeps the connections) and say so at most every 10 s.
            long now = System.nanoTime();
            if (now - lastAcceptWarning > 10_000_000_000L || lastAcceptWarning == 0) {
                LOG.warnf("agent-check: accept failed (%s); pausing accepts for %d ms", e.getMessage(),
                        ACCEPT_PAUSE_NANOS / 1_000_000);
                lastAcceptWarning = now;
            }
            listenerKey.interestOps(0);
            acceptPausedUntil = now + ACCEPT_PAUSE_NANOS;
            return null;
        }
    }

    private void resumeAccepting() {
        if (acceptPausedUntil != 0 && System.nanoTime() - acceptPausedUntil >= 0) {
            acceptPausedUntil = 0;
            listenerKey.interestOps(SelectionKey.OP_ACCEPT);
        }
    }

    /** Until the oldest waiting connection's deadline or the end of an accept pause; 0 (no limit) for neither. */
    private long waitMillis() {
        long now = System.nanoTime();
        long until = Long.MAX_VALUE;
        Exchange oldest = waiting.peekFirst();
        if (oldest != null) {
            until = oldest.deadline - now;
        }
        if (acceptPausedUntil != 0) {
            until = Math.min(until, acceptPausedUntil - now);
        }
        return until == Long.MAX_VALUE ? 0 : Math.max(1, until / 1_000_000 + 1);
    }

    /** Reads what has arrived; true when the exchange is over (answered or closed), false to wait for more. */
    private boolean onReadable(Exchange x) {
        int n;
        try {
            n = x.channel.read(x.in);
        } catch (IOException e) {
            n = -1; // a reset: nothing to answer
        }
        if (n < 0) {
            close(x);
            return true;
        }
        byte[] data = x.in.array();
        for (int i = x.in.position() - n; i < x.in.position(); i++) {
            if (data[i] == '\n') {
                answer(x, AgentReply.role(data, i));
                return true;
            }
        }
        if (!x.in.hasRemaining()) {
            answer(x, null); // longer than any request line can be
            return true;
        }
        return false;
    }

    /** Answers every connection whose deadline has passed, oldest first (deadlines arrive in order). */
    private void expire() {
        long now = System.nanoTime();
        for (Exchange x = waiting.peekFirst(); x != null && x.deadline - now <= 0; x = waiting.peekFirst()) {
            deadline(x);
        }
    }

    // Nothing arrived: HAProxy without agent-send asks about "any". A partial line without LF is parsed as is,
    // since agent-send strings are often written without "\n".
    private void deadline(Exchange x) {
        answer(x, AgentReply.role(x.in.array(), x.in.position())); // nothing at all is an empty line: any
    }

    /** @param role the role asked for, null for a bad request */
    private void answer(Exchange x, Role role) {
        waiting.remove(x);
        if (role == null) {
            metrics.agentReply("bad", "down");
            x.out = ByteBuffer.wrap(AgentReply.BAD_REQUEST.getBytes(StandardCharsets.US_ASCII));
        } else {
            x.out = ByteBuffer.wrap(reply(role));
        }
        flush(x);
    }

    private byte[] reply(Role role) {
        Verdict v = null;
        try {
            Verdicts current = verdicts.get();
            if (current != repliesFor) {
                replies.clear();
                repliesFor = current;
            }
            v = current.of(role);
        } catch (RuntimeException e) {
            // Fail closed and still answer: an unanswered check leaves HAProxy on the last state, which may be up.
            LOG.warnf("agent-check: no verdict for %s (%s); answering down", role.wire(), e.toString());
        }
        if (v == null) {
            metrics.agentReply(role.wire(), "down");
            return "down #agent has no verdict\n".getBytes(StandardCharsets.US_ASCII);
        }
        metrics.agentReply(role.wire(), v.word().wire());
        Verdict verdict = v;
        return replies.computeIfAbsent(role, r -> AgentReply.format(verdict).getBytes(StandardCharsets.US_ASCII));
    }

    /** Writes what is left of the reply; closes when all is out (a one-line reply nearly always goes at once). */
    private void flush(Exchange x) {
        try {
            x.channel.write(x.out);
            if (x.out.hasRemaining()) {
                if (x.key == null) {
                    x.key = x.channel.register(selector, SelectionKey.OP_WRITE, x);
                } else {
                    x.key.interestOps(SelectionKey.OP_WRITE);
                }
                return;
            }
        } catch (IOException e) {
            // the client left before the answer: nothing to do but close
        }
        close(x);
    }

    private void close(Exchange x) {
        waiting.remove(x);
        if (x.key == null && x.out != null) {
            // What the JDK does itself before closing a channel registered with a selector: FIN after the reply,
            // so a client whose surplus input was never read gets the reply and EOF, not a reset.
            try {
                x.channel.shutdownOutput();
            } catch (IOException e) {
                // the client is gone already
            }
        }
        try {
            x.channel.close();
        } catch (IOException e) {
            // closing a socket that already failed
        }
    }

    private void closeAll() {
        for (SelectionKey key : selector.keys()) {
            try {
                key.channel().close();
            } catch (IOException e) {
                // shutting down
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            // shutting down
        }
        waiting.clear();
    }

    /** One connection, confined to the serving thread. */
    private static final class Exchange {
        final SocketChannel channel;
        final long deadline;
        final ByteBuffer in = ByteBuffer.allocate(AgentReply.MAX_REQUEST + 2);
        SelectionKey key;
        ByteBuffer out;

        Exchange(SocketChannel channel, long deadline) {
            this.channel = channel;
            this.deadline = deadline;
        }
    }
}
