package io.pgha.agent.hook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * HAProxy's runtime API over its admin unix socket: one connection per exchange, the commands joined by ';' on
 * one line (HAProxy's non-interactive mode runs them in order and closes). A unix SocketChannel has no read
 * timeout, so the exchange runs on its own thread and is cut after the bound by closing the channel.
 */
public final class RuntimeApiClient implements AutoCloseable {

    private final Path socket;
    private final Duration timeout;
    private final ExecutorService io = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "pgha-hook-socket");
        t.setDaemon(true);
        return t;
    });

    public RuntimeApiClient(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    public String showServersState() throws IOException {
        return execute(List.of("show servers state"));
    }

    /** Sends the commands in one exchange and returns HAProxy's answer (empty lines for successful sets). */
    public String execute(List<String> commands) throws IOException {
        String line = String.join("; ", commands) + "\n";
        AtomicReference<SocketChannel> open = new AtomicReference<>();
        Future<String> f = io.submit(() -> exchange(line, open));
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            closeQuietly(open.get());
            throw new IOException("no answer from " + socket + " within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private String exchange(String line, AtomicReference<SocketChannel> open) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            open.set(ch);
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(16384);
            while (ch.read(in) >= 0) {
                answer.write(in.array(), 0, in.position());
                in.clear();
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // closing is all we wanted
            }
        }
    }

    @Override
    public void close() {
        io.shutdownNow();
    }
}
