package io.pgha.agent.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgha.agent.fastpath.LocalEvidence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stop against real processes: a stand-in postmaster (a sleep whose argv[0] is .../bin/postgres, with a
 * postmaster.pid naming it) gets SIGQUIT and is gone; a PID file whose PID belongs to another program is never
 * signalled.
 */
class PostmasterStopperTest {

    @TempDir
    Path dataDir;

    private Process standIn(String argv0) throws Exception {
        // A JVM's children start with SIGQUIT blocked or ignored (the JVM keeps it for thread dumps); a real
        // postmaster is no child of the agent, so the stand-in puts the default back before it becomes "postgres".
        Process p = new ProcessBuilder(List.of("/usr/bin/python3", "-c", "import os, signal; "
                + "signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGQUIT]); "
                + "signal.signal(signal.SIGQUIT, signal.SIG_DFL); "
                + "os.execv('/bin/sleep', ['" + argv0 + "', '60'])")).start();
        // The exec has happened once /proc shows the new program name.
        for (int i = 0; i < 100 && !Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline")).startsWith(argv0); i++) {
            Thread.sleep(20);
        }
        long started = System.currentTimeMillis() / 1000;
        Files.writeString(dataDir.resolve("postmaster.pid"), p.pid() + "\n" + dataDir + "\n" + started + "\n5432\n");
        return p;
    }

    @Test
    void aLivePostmasterGetsSigquitAndIsGone() throws Exception {
        Process p = standIn("/usr/lib/postgresql/15/bin/postgres");
        Stopper.Stopped s = new PostmasterStopper(new LocalEvidence(Path.of("/proc")), dataDir, Duration.ofSeconds(2)).stop();
        assertTrue(p.waitFor(3, TimeUnit.SECONDS), "still running: " + s);
        assertTrue(s.done(), s.how());
        assertTrue(s.how().contains("postmaster " + p.pid() + " stopped (immediate shutdown)"), s.how());
        assertEquals(128 + 3, p.exitValue(), "not ended by SIGQUIT");
    }

    @Test
    void aReusedPidIsNeverSignalled() throws Exception {
        Process p = standIn("/usr/bin/vim");
        try {
            Stopper.Stopped s = new PostmasterStopper(new LocalEvidence(Path.of("/proc")), dataDir, Duration.ofSeconds(1))
                    .stop();
            assertFalse(s.done(), s.how());
            assertTrue(s.how().startsWith("no live postmaster on"), s.how());
            assertTrue(p.isAlive(), "signalled a process that is not a postmaster");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void noPidFileNothingToStop() {
        Stopper.Stopped s = new PostmasterStopper(new LocalEvidence(Path.of("/proc")), dataDir, Duration.ofSeconds(1)).stop();
        assertFalse(s.done());
    }
}
