package io.pgha.agent.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The floor for AgentCheckBench: the least a server can do for an agent check (accept, read the line, write
 * "up", close) on one blocking thread, with no framework. Its latency on the same machine and client is what
 * the agent's figures are measured against; whatever the agent adds on top is the agent's own cost.
 *
 * <p>Usage: {@code java -cp target/test-classes io.pgha.agent.bench.AgentCheckFloor PORT}
 */
public final class AgentCheckFloor {

    private AgentCheckFloor() {
    }

    public static void main(String[] args) throws IOException {
        byte[] up = "up\n".getBytes(StandardCharsets.US_ASCII);
        try (ServerSocket server = new ServerSocket(Integer.parseInt(args[0]), 1024, InetAddress.getLoopbackAddress())) {
            while (true) {
                try (Socket s = server.accept()) {
                    s.setTcpNoDelay(true);
                    s.setSoTimeout(100);
                    InputStream in = s.getInputStream();
                    for (int c = in.read(), n = 0; c != -1 && c != '\n' && n < 64; c = in.read(), n++) {
                        // the role does not matter to the floor
                    }
                    OutputStream out = s.getOutputStream();
                    out.write(up);
                } catch (IOException e) {
                    // a client that went away costs the floor nothing
                }
            }
        }
    }
}
