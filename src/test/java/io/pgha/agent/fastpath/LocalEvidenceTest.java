package io.pgha.agent.fastpath;

import io.pgha.agent.fastpath.CrashEvidence.PortState;
import io.pgha.agent.fastpath.CrashEvidence.PostmasterState;
import io.pgha.agent.fastpath.CrashEvidence.ProcessState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalEvidenceTest {
    @TempDir
    Path tmp;

    private FakeProc proc() throws IOException {
        return new FakeProc(Files.createDirectories(tmp.resolve("proc")));
    }

    @Test
    void aClosedLoopbackPortIsRefusedAndAnOpenOneIsOpen() throws IOException {
        LocalEvidence e = new LocalEvidence(Path.of("/proc"));
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertEquals(PortState.REFUSED, e.probePort("127.0.0.1", closed, Duration.ofMillis(200)));
        try (ServerSocket s = new ServerSocket(0)) {
            assertEquals(PortState.OPEN, e.probePort("127.0.0.1", s.getLocalPort(), Duration.ofMillis(200)));
        }
    }

    @Test
    void findsThisNodesPatroniAndNotAnotherNodesOrPatronictl() throws IOException {
        FakeProc p = proc().process(101, 5, "python3", "/usr/bin/patroni", "/var/lib/pgha-local/node1/patroni.yml")
                .process(102, 5, "python3", "/usr/bin/patronictl", "list");
        LocalEvidence e = new LocalEvidence(p.root);
        assertEquals(ProcessState.RUNNING, e.patroniProcess("/node1/patroni.yml"));
        assertEquals(ProcessState.ABSENT, e.patroniProcess("/node2/patroni.yml"));
        assertEquals(ProcessState.RUNNING, e.patroniProcess(""));
    }

    @Test
    void anEmptyProcessTableIsUnknownNotAbsent() throws IOException {
        assertEquals(ProcessState.UNKNOWN, new LocalEvidence(proc().root).patroniProcess(""));
        assertEquals(ProcessState.UNKNOWN, new LocalEvidence(tmp.resolve("no-proc")).patroniProcess(""));
    }

    @Test
    void isPatroniMatchesTheProgramNotItsArguments() {
        assertTrue(LocalEvidence.isPatroni(List.of("/usr/local/bin/patroni", "/etc/patroni.yml")));
        assertTrue(LocalEvidence.isPatroni(List.of("python3", "/usr/bin/patroni", "x.yml")));
        assertFalse(LocalEvidence.isPatroni(List.of("less", "/var/log/patroni")));
        assertFalse(LocalEvidence.isPatroni(List.of("vim", "x", "/usr/bin/patroni")));
    }

    @Test
    void postmasterStates() throws IOException {
        FakeProc p = proc()
                .process(200, 50, "/usr/lib/postgresql/15/bin/postgres", "-D", "/data")
                .process(300, 50, "/usr/bin/java", "-jar", "x.jar");
        LocalEvidence e = new LocalEvidence(p.root);
        Path data = tmp.resolve("data");
        Files.createDirectories(data);
        assertEquals(PostmasterState.ABSENT, e.postmaster(data), "no postmaster.pid");
        assertEquals(PostmasterState.UNKNOWN, e.postmaster(tmp.resolve("missing-dir")), "no data directory at all");

        FakeProc.postmasterPid(data, 200, FakeProc.BOOT + 50);
        assertEquals(PostmasterState.ALIVE, e.postmaster(data), "the postmaster that wrote the file");

        FakeProc.postmasterPid(data, 200, FakeProc.BOOT + 10);
        assertEquals(PostmasterState.REUSED, e.postmaster(data), "a postgres started at another time owns the PID now");

        FakeProc.postmasterPid(data, 300, FakeProc.BOOT + 50);
        assertEquals(PostmasterState.REUSED, e.postmaster(data), "the PID belongs to another program");

        FakeProc.postmasterPid(data, 999, FakeProc.BOOT + 50);
        assertEquals(PostmasterState.DEAD, e.postmaster(data), "nobody has that PID");

        Files.writeString(data.resolve("postmaster.pid"), "200\n" + data + "\n");
        assertEquals(PostmasterState.UNKNOWN, e.postmaster(data), "a file still being written");

        Files.writeString(data.resolve("postmaster.pid"), "garbage\n\u0000\u0001\nmore\n");
        assertEquals(PostmasterState.UNKNOWN, e.postmaster(data), "garbage");
    }

    @Test
    void aZombiePostmasterIsDeadButItsOrphansAreNot() throws IOException {
        FakeProc p = proc().zombie(200, "postgres");
        Path data = Files.createDirectories(tmp.resolve("data"));
        FakeProc.postmasterPid(data, 200, FakeProc.BOOT + 50);
        LocalEvidence e = new LocalEvidence(p.root);
        assertEquals(PostmasterState.DEAD, e.postmaster(data), "a killed postmaster not yet reaped");
        p.process(201, 51, "postgres: postgres postgres 10.0.0.1(5000) COMMIT").workingIn(201, data);
        assertEquals(PostmasterState.ORPHANS, e.postmaster(data), "a backend outlives its postmaster");
    }

    @Test
    void readsTheRealProcessTable() {
        // On Linux this JVM's own /proc entry exists; a java process is never Patroni.
        LocalEvidence e = new LocalEvidence(Path.of("/proc"));
        assertEquals(ProcessState.ABSENT, e.patroniProcess("no-such-config-" + ProcessHandle.current().pid()));
    }
}
