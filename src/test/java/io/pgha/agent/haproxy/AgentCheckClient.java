package io.pgha.agent.haproxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** What HAProxy does on an agent check, as a blocking client for tests, the IT and the benchmark. */
public final class AgentCheckClient {

    private AgentCheckClient() {
    }

    /** Connects, sends {@code request} (null sends nothing), returns everything read until the agent closes. */
    public static String ask(String host, int port, byte[] request, int timeoutMillis) throws IOException {
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.setSoTimeout(timeoutMillis);
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            if (request != null) {
                OutputStream out = s.getOutputStream();
                out.write(request);
                out.flush();
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            byte[] buf = new byte[256];
            for (int n; (n = in.read(buf)) >= 0; ) {
                reply.write(buf, 0, n);
            }
            return reply.toString(StandardCharsets.US_ASCII);
        }
    }

    public static String ask(String host, int port, String request, int timeoutMillis) throws IOException {
        return ask(host, port, request == null ? null : request.getBytes(StandardCharsets.US_ASCII), timeoutMillis);
    }
}
