package io.pgha.it.fault;

import io.pgha.agent.hook.RuntimeApiClient;
import io.pgha.agent.hook.ServerState;
import io.pgha.it.LocalCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * Issue 20's fault 6: a fourth node joins the running cluster and leaves again ({@code pgha-local add-node 4},
 * {@code remove-node 4}: etcd member add/remove, Patroni cloning from the leader, its agent) with the writer running.
 * The hook must pick the new Patroni member up (render, {@code haproxy -c}, reload), route reads to it through
 * 5001 as a replica, never route writes to it, and drop its servers once it is gone. Asserted here, loudly:
 * HAProxy's replicas backend had patroni4 UP, a read through 5001 was answered by node 4 while it was there, and
 * afterwards HAProxy has no server patroni4 in any backend and 5001 answers from nodes 1-3 only. The common
 * properties (no write lost, one writer, one routed server) are the harness's.
 */
final class NodeAddRemove {

    static final int NODE = 4;
    /** Node 4 streaming and routed, with the writer running: long enough for several hook rounds and checks. */
    static final int HOLD_S = 20;

    private NodeAddRemove() {
    }

    static void inject(LocalCluster c, FaultRun run) throws Exception {
        String name = c.env("EXTRA_NODE_NAME");
        String addr = c.env("EXTRA_NODE_ADDR");
        try (RuntimeApiClient api = new RuntimeApiClient(Path.of(c.env("HAPROXY_ADMIN_SOCKET")), Duration.ofSeconds(2))) {
            boolean added = false;
            try {
                run.faultStarts();
                Faults.verb(c, "add-node", String.valueOf(NODE));
                added = true;
                run.sampleNode(NODE);
                LocalCluster.await("HAProxy's replicas backend to show " + name + " UP", Duration.ofSeconds(60),
                        () -> servers(api).stream().anyMatch(s -> s.backend().equals("replicas")
                                && s.server().equals(name) && s.up()) ? true : null);
                LocalCluster.await("a read through HAProxy 5001 answered by " + name + " (" + addr + ")",
                        Duration.ofSeconds(30), () -> addr.equals(readerAddress(c)) ? true : null);
                LocalCluster.sleep(HOLD_S * 1000L);
                List<ServerState> primary = servers(api).stream()
                        .filter(s -> s.backend().equals("primary") && s.server().equals(name)).toList();
                if (primary.size() != 1 || primary.get(0).up()) {
                    throw new AssertionError("backend primary must hold " + name + " and keep it DOWN: " + primary);
                }
            } finally {
                if (added) {
                    Faults.verb(c, "remove-node", String.valueOf(NODE));
                    // The hook keeps a departed member's servers for pgha.hook.render.keep-departed (75 s here).
                    LocalCluster.await("HAProxy to have no server " + name, Duration.ofSeconds(150),
                            () -> servers(api).stream().noneMatch(s -> s.server().equals(name)) ? true : null);
                } else {
                    c.run("remove-node", String.valueOf(NODE)); // an add that failed half-way: undo what it did
                }
                run.faultEnds();
            }
        }
        for (int i = 0; i < 12; i++) {
            String from = readerAddress(c);
            if (addr.equals(from)) {
                throw new AssertionError("HAProxy 5001 still routed a read to the removed " + name);
            }
        }
    }

    /** HAProxy's servers (every backend) from its admin socket; an unreadable socket is a failure, not "none". */
    private static List<ServerState> servers(RuntimeApiClient api) {
        try {
            return ServerState.parse(api.showServersState());
        } catch (IOException e) {
            throw new IllegalStateException("HAProxy's admin socket: " + e.getMessage(), e);
        }
    }

    /** The address of the node a new connection through 5001 reached (leastconn: ties take turns), or null. */
    private static String readerAddress(LocalCluster c) {
        try (Connection conn = c.viaHaproxy(5001); var s = conn.createStatement();
             var rs = s.executeQuery("select host(inet_server_addr())")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            return null;
        }
    }
}
