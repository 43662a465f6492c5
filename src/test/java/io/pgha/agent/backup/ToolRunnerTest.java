package io.pgha.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process shell on /bin/sh stand-ins: exit codes, stderr tails, timeouts, aborts, secrets via env. */
class ToolRunnerTest {

    @TempDir
    Path tmp;

    private static ToolRunner runner() {
        return new ToolRunner(Map.of("PGPASSWORD", "hunter2"), () -> false);
    }

    @Test
    void aFailureCarriesTheExitAndTheTailOfStderr() throws Exception {
        ToolRunner.Result r = runner().run(List.of("/bin/sh", "-c",
                "echo 'pg_dump: error: could not write to output file: No space left on device' >&2; exit 1"),
                tmp.resolve("out"), Duration.ofSeconds(10));
        assertFalse(r.ok());
        assertEquals(1, r.exit());
        assertEquals("sh exited 1: pg_dump: error: could not write to output file: No space left on device",
                r.describe());
    }

    @Test
    void aHungProgramIsKilledAtItsTimeout() throws Exception {
        long start = System.nanoTime();
        ToolRunner.Result r = runner().run(List.of("/bin/sh", "-c", "sleep 30"), null, Duration.ofMillis(500));
        assertTrue(r.timedOut());
        assertFalse(r.ok());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 5000, "not killed in time");
        assertTrue(r.describe().startsWith("sh timed out"), r.describe());
    }

    @Test
    void anAbortKillsTheProgramAndSaysWhy() throws Exception {
        long start = System.nanoTime();
        ToolRunner.Result r = new ToolRunner(Map.of(), () -> System.nanoTime() - start > 300_000_000L)
                .run(List.of("/bin/sh", "-c", "sleep 30"), null, Duration.ofSeconds(20));
        assertFalse(r.ok());
        assertFalse(r.timedOut());
        assertTrue(r.stderrTail().startsWith("aborted: the run lost its claim"), r.stderrTail());
    }

    @Test
    void anInterruptedRunKillsItsChild() throws Exception {
        Path pidFile = tmp.resolve("pid");
        java.util.concurrent.CountDownLatch caught = new java.util.concurrent.CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                runner().run(List.of("/bin/sh", "-c", "echo $$ > " + pidFile + "; exec sleep 30"), null,
                        Duration.ofSeconds(20));
            } catch (java.io.IOException e) {
                // Interrupted. Stay alive a while: the kernel's pdeathsig fires only when this thread exits,
                // so a dead child now proves the runner killed it.
                Thread.interrupted();
                caught.countDown();
                try {
                    Thread.sleep(3000);
                } catch (InterruptedException ignored) {
                    // done
                }
            }
        });
        t.start();
        for (int i = 0; i < 100 && (!Files.exists(pidFile) || Files.readString(pidFile).isBlank()); i++) {
            Thread.sleep(50);
        }
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        t.interrupt();
        assertTrue(caught.await(5, java.util.concurrent.TimeUnit.SECONDS), "run() did not give up on interrupt");
        Thread.sleep(300);
        assertTrue(t.isAlive());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "child still alive");
        t.join(5000);
    }

    @Test
    void thePasswordTravelsInTheEnvironmentNotTheCommandLine() throws Exception {
        ToolRunner.Result r = runner().run(List.of("/bin/sh", "-c", "printf %s \"$PGPASSWORD\""), null,
                Duration.ofSeconds(10));
        assertEquals("hunter2", r.stdout());
        assertFalse(String.join(" ", r.command()).contains("hunter2"));
    }

    @Test
    void onlyTheTailOfALongStderrIsKept() throws Exception {
        ToolRunner.Result r = runner().run(List.of("/bin/sh", "-c",
                "i=0; while [ $i -lt 500 ]; do echo \"line $i of noise\" >&2; i=$((i+1)); done; exit 3"),
                null, Duration.ofSeconds(10));
        assertTrue(r.stderrTail().length() <= 2000);
        assertTrue(r.stderrTail().endsWith("line 499 of noise"), r.stderrTail());
    }

    @Test
    void stdoutGoesToTheGivenFile() throws Exception {
        Path out = tmp.resolve("dump");
        assertTrue(runner().run(List.of("/bin/sh", "-c", "echo data"), out, Duration.ofSeconds(10)).ok());
        assertEquals("data\n", Files.readString(out));
    }
}
