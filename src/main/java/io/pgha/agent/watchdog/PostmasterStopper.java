package io.pgha.agent.watchdog;

import io.pgha.agent.fastpath.LocalEvidence;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Stops the postmaster of one data directory with an immediate shutdown (SIGQUIT: every backend ends at once, no
 * checkpoint that could take seconds, crash recovery at the next start, which Patroni runs), and SIGKILL if it
 * is still there after the grace. Only the PID that postmaster.pid names and the process table confirms is
 * signalled. SIGTERM would be the smart shutdown, which waits for clients to leave: useless against a writer.
 * Decides nothing: the policy has decided.
 */
final class PostmasterStopper implements Stopper {

    private static final Duration SIGNAL_TIMEOUT = Duration.ofSeconds(2);

    private final LocalEvidence local;
    private final Path dataDir;
    private final Duration grace;

    PostmasterStopper(LocalEvidence local, Path dataDir, Duration grace) {
        this.local = local;
        this.dataDir = dataDir;
        this.grace = grace;
    }

    @Override
    public Stopped stop() {
        OptionalLong pid = local.livePostmasterPid(dataDir);
        if (pid.isEmpty()) {
            return new Stopped(false, "no live postmaster on " + dataDir + " to stop");
        }
        String quit = signal("QUIT", pid.getAsLong());
        if (quit != null) {
            return new Stopped(false, "kill -QUIT " + pid.getAsLong() + " failed: " + quit);
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (System.nanoTime() < deadline) {
            if (local.livePostmasterPid(dataDir).isEmpty()) {
                return new Stopped(true, "postmaster " + pid.getAsLong() + " stopped (immediate shutdown)");
            }
            sleep(50);
        }
        String kill = signal("KILL", pid.getAsLong());
        return new Stopped(kill == null, "postmaster " + pid.getAsLong() + " still there after " + grace.toMillis()
                + " ms; " + (kill == null ? "sent SIGKILL" : "kill -KILL failed: " + kill));
    }

    /** null when the signal was sent; otherwise what went wrong. */
    private static String signal(String sig, long pid) {
        try {
            // The shell's own kill: a container image may lack procps' /usr/bin/kill, never a /bin/sh.
            Process p = new ProcessBuilder(List.of("/bin/sh", "-c", "kill -s " + sig + " \"$1\"", "sh",
                    Long.toString(pid))).redirectErrorStream(true).start();
            if (!p.waitFor(SIGNAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return "kill did not return within " + SIGNAL_TIMEOUT.toMillis() + " ms";
            }
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            return p.exitValue() == 0 ? null : "exit " + p.exitValue() + (out.isEmpty() ? "" : ": " + out);
        } catch (java.io.IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
