package io.pgha.agent.haproxy;

import org.jboss.logging.Logger;
import io.pgha.agent.health.Verdict;
import io.pgha.agent.health.Verdicts;
import io.pgha.agent.metrics.AgentMetrics;
import io.pgha.agent.node.Role;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Answers HAProxy's agent checks: read at most one short line, answer one line from the cached verdicts,
 * close. Everything runs on the connection's event loop and touches nothing but the verdict supplier, so a
 * hung probe can never slow a check down. No input within the read timeout means role {@code any}; a client
 * that trickles bytes is cut at the same deadline.
 */
public final class AgentCheckServer {
    private static final Logger LOG = Logger.getLogger(AgentCheckServer.class);


    private final Vertx vertx;
    private final String host;
    private final int port;
    private final long readTimeoutMillis;
    private final Supplier<Verdicts> verdicts;
    private final AgentMetrics metrics;
    private volatile NetServer server;

    public AgentCheckServer(Vertx vertx, String host, int port, Duration readTimeout, Supplier<Verdicts> verdicts,
            AgentMetrics metrics) {
        this.vertx = vertx;
        this.host = host;
        this.port = port;
        this.readTimeoutMillis = Math.max(1, readTimeout.toMillis());
        this.verdicts = verdicts;
        this.metrics = metrics;
    }

    public Future<NetServer> start() {
        NetServerOptions options = new NetServerOptions().setHost(host).setPort(port).setTcpNoDelay(true)
                .setReuseAddress(true);
        NetServer s = vertx.createNetServer(options);
        s.connectHandler(socket -> new Exchange(socket).begin());
        server = s;
        return s.listen();
    }

    /** The bound port; differs from the configured one when that was 0 (tests). */
    public int actualPort() {
        NetServer s = server;
        return s == null ? -1 : s.actualPort();
    }

    public Future<Void> stop() {
        NetServer s = server;
        server = null;
        return s == null ? Future.succeededFuture() : s.close();
    }

    /** One connection. Confined to its event loop thread, so its fields need no synchronisation. */
    private final class Exchange {
        private final NetSocket socket;
        private final Buffer pending = Buffer.buffer(16);
        private boolean answered;
        private long timer = -1;

        Exchange(NetSocket socket) {
            this.socket = socket;
        }

        void begin() {
            timer = vertx.setTimer(readTimeoutMillis, t -> onDeadline());
            socket.handler(this::onData);
            // A reset or a half-open client must never escape into the server; just drop the connection.
            socket.exceptionHandler(e -> finish());
            socket.closeHandler(v -> finish());
        }

        private void onData(Buffer data) {
            if (answered) {
                return;
            }
            pending.appendBuffer(data);
            int lf = indexOfLf(pending);
            if (lf >= 0) {
                answer(AgentReply.parse(pending.getBytes(0, lf)));
            } else if (pending.length() > AgentReply.MAX_REQUEST) {
                answer(Optional.empty());
            }
        }

        // Nothing arrived: HAProxy without agent-send asks about "any". A partial line without LF is parsed as
        // is, since agent-send strings are often written without "\n".
        private void onDeadline() {
            timer = -1;
            if (!answered) {
                answer(pending.length() == 0 ? Optional.of(Role.ANY) : AgentReply.parse(pending.getBytes()));
            }
        }

        private void answer(Optional<Role> role) {
            answered = true;
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
            String line;
            if (role.isEmpty()) {
                line = AgentReply.BAD_REQUEST;
                metrics.agentReply("bad", "down");
            } else {
                Verdict v = null;
                try {
                    v = verdicts.get().of(role.get());
                } catch (RuntimeException e) {
                    // Fail closed and still answer: an unanswered check leaves HAProxy on the last state,
                    // which may be up. (An ArrayIndexOutOfBoundsException was seen here once during a restart.)
                    LOG.warnf("agent-check: no verdict for %s (%s); answering down", role.get().wire(), e.toString());
                }
                line = v == null ? "down #agent has no verdict\n" : AgentReply.format(v);
                metrics.agentReply(role.get().wire(), v == null ? "down" : v.word().wire());
            }
            socket.handler(null);
            socket.write(Buffer.buffer(line)).onComplete(ar -> socket.close());
        }

        private void finish() {
            answered = true;
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }

        private static int indexOfLf(Buffer b) {
            for (int i = 0; i < b.length(); i++) {
                if (b.getByte(i) == '\n') {
                    return i;
                }
            }
            return -1;
        }
    }
}
