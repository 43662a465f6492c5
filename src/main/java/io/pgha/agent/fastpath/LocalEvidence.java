package io.pgha.agent.fastpath;

import io.pgha.agent.fastpath.CrashEvidence.PortState;
import io.pgha.agent.fastpath.CrashEvidence.PostmasterState;
import io.pgha.agent.fastpath.CrashEvidence.ProcessState;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Looks at this node: TCP connects to Patroni and PostgreSQL, the process table, and
 * postmaster.pid. Reports what it saw; whether that means "dead" is the policy's call.
 */
public final class LocalEvidence {
    /** Linux's USER_HZ: /proc/PID/stat counts start time in these ticks on every mainstream kernel. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;
    /** postmaster.pid stores whole seconds; allow for that and for tick rounding. */
    private static final long START_TIME_SLACK_SECONDS = 2;

    private final Path proc;

    public LocalEvidence(Path proc) {
        this.proc = proc;
    }

    /** One connect, bounded: a refusal is the kernel saying nothing listens there. */
    public PortState probePort(String host, int port, Duration timeout) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            return PortState.OPEN;
        } catch (ConnectException e) {
            return e.getMessage() != null && e.getMessage().contains("refused") ? PortState.REFUSED : PortState.ERROR;
        } catch (SocketTimeoutException e) {
            return PortState.TIMEOUT;
        } catch (IOException | RuntimeException e) {
            return PortState.ERROR;
        }
    }

    /**
     * Whether a visible process runs Patroni (its argv names a program called "patroni") and, when
     * {@code match} is not empty, has it in its command line: where several nodes share one process
     * table (the local cluster) the config file path tells this node's Patroni from the others.
     */
    public ProcessState patroniProcess(String match) {
        try (Stream<Path> entries = Files.list(proc)) {
            List<Path> pids = entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList();
            if (pids.isEmpty()) {
                return ProcessState.UNKNOWN;
            }
            for (Path p : pids) {
                List<String> argv = readCmdline(p.resolve("cmdline"));
                if (isPatroni(argv) && (match.isEmpty() || String.join(" ", argv).contains(match))) {
                    return ProcessState.RUNNING;
                }
            }
            return ProcessState.ABSENT;
        } catch (IOException | RuntimeException e) {
            return ProcessState.UNKNOWN;
        }
    }

    static boolean isPatroni(List<String> argv) {
        // "/usr/local/bin/patroni cfg.yml", or "python3 /usr/bin/patroni cfg.yml"; not "patronictl",
        // and not "less /var/log/patroni" (the second word counts only after a Python interpreter).
        if (argv.isEmpty()) {
            return false;
        }
        if (isPatroniProgram(argv.get(0))) {
            return true;
        }
        String first = argv.get(0).substring(argv.get(0).lastIndexOf('/') + 1);
        return first.startsWith("python") && argv.size() > 1 && isPatroniProgram(argv.get(1));
    }

    private static boolean isPatroniProgram(String a) {
        return a.equals("patroni") || a.endsWith("/patroni");
    }

    /**
     * What postmaster.pid in the data directory says, checked against the live process table; a
     * postmaster that is gone still counts as alive while any process runs in the data directory
     * (every PostgreSQL process has it as its working directory).
     */
    public PostmasterState postmaster(Path dataDir) {
        PostmasterState byFile = postmasterByFile(dataDir);
        if (byFile == PostmasterState.ABSENT || byFile == PostmasterState.DEAD || byFile == PostmasterState.REUSED) {
            return anyProcessIn(dataDir) ? PostmasterState.ORPHANS : byFile;
        }
        return byFile;
    }

    private boolean anyProcessIn(Path dataDir) {
        try (Stream<Path> entries = Files.list(proc)) {
            return entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .anyMatch(p -> {
                        try {
                            // Compared as files (device and inode), not as paths: in Compose the agent
                            // mounts the data volume elsewhere than the Patroni container does. Zombies
                            // have no cwd; a process we may not inspect fails here too.
                            return Files.isSameFile(p.resolve("cwd"), dataDir);
                        } catch (IOException | RuntimeException e) {
                            return false;
                        }
                    });
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The PID of the postmaster that runs on this data directory, checked as {@link #postmaster} checks it
     * (postmaster.pid against the live process table: a PID reused by another program is not it); empty otherwise.
     * The watchdog signals only this PID.
     */
    public java.util.OptionalLong livePostmasterPid(Path dataDir) {
        long[] pid = {-1};
        PostmasterState s = postmasterByFile(dataDir, pid);
        return s == PostmasterState.ALIVE && pid[0] > 0 ? java.util.OptionalLong.of(pid[0]) : java.util.OptionalLong.empty();
    }

    private PostmasterState postmasterByFile(Path dataDir) {
        return postmasterByFile(dataDir, new long[1]);
    }

    private PostmasterState postmasterByFile(Path dataDir, long[] pidOut) {
        List<String> lines;
        try {
            lines = Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Files.isDirectory(dataDir) ? PostmasterState.ABSENT : PostmasterState.UNKNOWN;
        } catch (IOException | RuntimeException e) {
            return PostmasterState.UNKNOWN;
        }
        if (lines.size() < 3) {
            // Written partially: a postmaster is starting right now.
            return PostmasterState.UNKNOWN;
        }
        long pid;
        long startedAt;
        try {
            pid = Long.parseLong(lines.get(0).trim());
            startedAt = Long.parseLong(lines.get(2).trim());
        } catch (NumberFormatException e) {
            return PostmasterState.UNKNOWN;
        }
        pidOut[0] = pid;
        Path p = proc.resolve(Long.toString(pid));
        if (!Files.isDirectory(p) || isZombie(p)) {
            // A killed postmaster whose parent died too stays a zombie until init reaps it; a
            // zombie holds no memory, files or sockets and can write nothing.
            return PostmasterState.DEAD;
        }
        List<String> argv = readCmdline(p.resolve("cmdline"));
        if (argv.isEmpty()) {
            // Alive but unreadable (or a zombie): not proof of anything, and not a PID to signal.
            pidOut[0] = -1;
            return PostmasterState.ALIVE;
        }
        String prog = argv.get(0);
        if (!(prog.endsWith("postgres") || prog.endsWith("postmaster"))) {
            return PostmasterState.REUSED;
        }
        long procStart = processStartEpochSeconds(p);
        if (procStart > 0 && Math.abs(procStart - startedAt) > START_TIME_SLACK_SECONDS) {
            return PostmasterState.REUSED;
        }
        return PostmasterState.ALIVE;
    }

    private static boolean isZombie(Path pidDir) {
        try {
            String stat = Files.readString(pidDir.resolve("stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state == 'Z' || state == 'X';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private long processStartEpochSeconds(Path pidDir) {
        try {
            String stat = Files.readString(pidDir.resolve("stat"));
            // Field 22 (starttime) counts from the closing parenthesis of the command name.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[19]);
            long bootTime = 0;
            for (String line : Files.readAllLines(proc.resolve("stat"))) {
                if (line.startsWith("btime ")) {
                    bootTime = Long.parseLong(line.substring(6).trim());
                }
            }
            return bootTime == 0 ? -1 : bootTime + ticks / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static List<String> readCmdline(Path f) {
        try {
            byte[] raw = Files.readAllBytes(f);
            if (raw.length == 0) {
                return List.of();
            }
            return List.of(new String(raw, StandardCharsets.UTF_8).split("\0"));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
