package io.pgha.it;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A client committing one row every {@code periodMillis} through HAProxy 5000, reconnecting on any
 * error, and remembering which ids were acknowledged and when: what a write outage and a lost
 * acknowledged write are measured from.
 */
public final class Writer implements AutoCloseable {
    /** One acknowledged insert: its id, when the acknowledgement arrived, and which server wrote it. */
    public record Ack(long id, long nanos, String server) { }

    private final LocalCluster cluster;
    private final String table;
    private final long periodMillis;
    private final List<Ack> acks = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private long nextId = 1;

    public Writer(LocalCluster cluster, String table, long periodMillis) throws SQLException {
        this.cluster = cluster;
        this.table = table;
        this.periodMillis = periodMillis;
        // The test before may have left HAProxy mid-failover: retry the setup rather than fail on one connect.
        LocalCluster.await("the writer's table through 5000", java.time.Duration.ofSeconds(60), () -> {
            try (Connection c = cluster.viaHaproxy(5000); Statement s = c.createStatement()) {
                s.execute("drop table if exists " + table);
                s.execute("create table " + table + " (id bigint primary key, at timestamptz default clock_timestamp())");
                return true;
            } catch (SQLException e) {
                return null;
            }
        });
        thread = new Thread(this::loop, "writer-" + table);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        Connection c = null;
        while (running.get()) {
            long started = System.nanoTime();
            try {
                if (c == null) {
                    c = cluster.viaHaproxy(5000);
                }
                String server;
                try (PreparedStatement ps = c.prepareStatement(
                        "insert into " + table + " (id) values (?) returning host(inet_server_addr())")) {
                    ps.setLong(1, nextId);
                    try (var rs = ps.executeQuery()) {
                        rs.next();
                        server = rs.getString(1);
                    }
                }
                synchronized (acks) {
                    acks.add(new Ack(nextId, System.nanoTime(), server));
                }
                nextId++;
            } catch (SQLException e) {
                // A failed or unknown outcome is not acknowledged: retry the same id on a new
                // connection (a duplicate key then means it did commit before the break).
                if ("23505".equals(e.getSQLState())) {
                    nextId++;
                }
                closeQuietly(c);
                c = null;
            }
            long sleep = periodMillis - (System.nanoTime() - started) / 1_000_000;
            if (sleep > 0) {
                LocalCluster.sleep(sleep);
            }
        }
        closeQuietly(c);
    }

    public List<Ack> acks() {
        synchronized (acks) {
            return List.copyOf(acks);
        }
    }

    /** The first acknowledgement at or after this time from a server other than {@code notFrom}, or null. */
    public Ack firstAckAfter(long nanos, String notFrom) {
        for (Ack a : acks()) {
            if (a.nanos() >= nanos && !a.server().equals(notFrom)) {
                return a;
            }
        }
        return null;
    }

    /** Whether any write was acknowledged after this time. */
    public boolean ackedAfter(long nanos) {
        synchronized (acks) {
            return !acks.isEmpty() && acks.get(acks.size() - 1).nanos() > nanos;
        }
    }

    /** The last acknowledgement before this time, or null. */
    public Ack lastAckBefore(long nanos) {
        Ack last = null;
        for (Ack a : acks()) {
            if (a.nanos() < nanos) {
                last = a;
            }
        }
        return last;
    }

    /**
     * Acknowledged ids missing from the table as the current leader sees it. Retries the read for a
     * while: just after a failover HAProxy may still send some connects to the dead old leader.
     */
    public List<Long> lostAcks() {
        return LocalCluster.await("a read of " + table + " through 5000", java.time.Duration.ofSeconds(15), () -> {
            try {
                return readLost();
            } catch (SQLException e) {
                return null;
            }
        });
    }

    private List<Long> readLost() throws SQLException {
        List<Long> lost = new ArrayList<>();
        try (Connection c = cluster.viaHaproxy(5000); Statement s = c.createStatement();
             var rs = s.executeQuery("select id from " + table)) {
            java.util.Set<Long> present = new java.util.HashSet<>();
            while (rs.next()) {
                present.add(rs.getLong(1));
            }
            for (Ack a : acks()) {
                if (!present.contains(a.id())) {
                    lost.add(a.id());
                }
            }
        }
        return lost;
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already broken
            }
        }
    }

    @Override
    public void close() {
        running.set(false);
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
