package io.pgha.agent.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs one external program with a deadline and reports what happened; it decides nothing. Stdout goes to a
 * file or is discarded, stderr to a temporary file whose tail is kept for the log line (pg_dump says why it
 * failed on stderr). Secrets go through {@code env} only, never through the command line, and the command
 * line is the only thing logged.
 *
 * <p>Children are started under {@code setpriv --pdeathsig KILL} when available, so a killed agent does not
 * leave a pg_dump writing on behind it (the kernel kills the child when the starting thread dies; the
 * backup thread lives as long as the agent).
 */
public final class ToolRunner {

    /** @param exit -1 when killed for the timeout */
    public record Result(List<String> command, int exit, boolean timedOut, String stderrTail, String stdout,
            Duration took) {
        public boolean ok() {
            return exit == 0 && !timedOut;
        }

        /** One sentence for a log line or a manifest: program, exit or timeout, and the tail of its stderr. */
        public String describe() {
            String prog = Path.of(command.get(command.size() > 3 && command.get(0).endsWith("setpriv") ? 4 : 0))
                    .getFileName().toString();
            String how = timedOut ? "timed out after " + took.toSeconds() + " s" : "exited " + exit;
            return prog + " " + how + (stderrTail.isBlank() ? "" : ": " + stderrTail.strip());
        }
    }

    private static final int TAIL_CHARS = 2000;
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    private final Map<String, String> env;
    private final BooleanSupplier abort;

    /**
     * @param env   added to every child's environment (PGPASSWORD and the like)
     * @param abort polled every 200 ms; true kills the child (the run lost its etcd lease)
     */
    public ToolRunner(Map<String, String> env, BooleanSupplier abort) {
        this.env = Map.copyOf(env);
        this.abort = abort;
    }

    /**
     * @param stdout where the program's stdout goes; null to capture it (small outputs only: --list, --version)
     */
    public Result run(List<String> command, Path stdout, Duration timeout) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(SETPRIV)) {
            cmd.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
        }
        cmd.addAll(command);
        Path err = Files.createTempFile("pgha-tool", ".err");
        Path out = stdout != null ? stdout : Files.createTempFile("pgha-tool", ".out");
        long start = System.nanoTime();
        Process p = null;
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile()).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            pb.environment().putAll(env);
            p = pb.start();
            long deadline = start + timeout.toNanos();
            boolean done = false;
            boolean aborted = false;
            while (!done && !aborted && System.nanoTime() < deadline) {
                done = p.waitFor(Math.min(200, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)),
                        TimeUnit.MILLISECONDS);
                aborted = !done && abort.getAsBoolean();
            }
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            String captured = stdout == null ? Files.readString(out) : "";
            String tail = tail(err);
            if (aborted) {
                tail = "aborted: the run lost its claim; " + tail;
            }
            return new Result(cmd, done ? p.exitValue() : -1, !done && !aborted, tail, captured, took);
        } catch (InterruptedException e) {
            // Shutdown: do not leave the child writing on (pdeathsig would only fire when the thread exits).
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        } finally {
            Files.deleteIfExists(err);
            if (stdout == null) {
                Files.deleteIfExists(out);
            }
        }
    }

    private static String tail(Path file) throws IOException {
        long size = Files.size(file);
        try (var ch = Files.newByteChannel(file)) {
            ch.position(Math.max(0, size - TAIL_CHARS));
            var buf = java.nio.ByteBuffer.allocate((int) Math.min(size, TAIL_CHARS));
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // read the whole tail
            }
            return new String(buf.array(), 0, buf.position(), java.nio.charset.StandardCharsets.UTF_8)
                    .replace('\n', ' ').strip();
        }
    }
}
