package io.pgha.agent.fastpath;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A hand-made /proc: just the files LocalEvidence reads. */
final class FakeProc {
    static final long BOOT = 1_700_000_000L;
    final Path root;

    FakeProc(Path root) throws IOException {
        this.root = root;
        Files.writeString(root.resolve("stat"), "cpu  1 2 3\nbtime " + BOOT + "\nprocesses 9\n");
    }

    /** A process started {@code startedSecondsAfterBoot} after boot, with this argv. */
    FakeProc process(long pid, long startedSecondsAfterBoot, String... argv) throws IOException {
        Path d = Files.createDirectories(root.resolve(Long.toString(pid)));
        Files.write(d.resolve("cmdline"), (String.join("\0", argv) + "\0").getBytes(StandardCharsets.UTF_8));
        // Fields after "(comm) ": state is field 3, starttime field 22 (index 19 here), in 1/100 s.
        StringBuilder stat = new StringBuilder(pid + " (" + argv[0] + ") S");
        for (int field = 4; field <= 21; field++) {
            stat.append(" 0");
        }
        stat.append(' ').append(startedSecondsAfterBoot * 100).append(" 0 0\n");
        Files.writeString(d.resolve("stat"), stat.toString());
        return this;
    }

    FakeProc zombie(long pid, String comm) throws IOException {
        Path d = Files.createDirectories(root.resolve(Long.toString(pid)));
        Files.write(d.resolve("cmdline"), new byte[0]);
        Files.writeString(d.resolve("stat"), pid + " (" + comm + ") Z 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 5000 0 0\n");
        return this;
    }

    /** A process whose working directory is {@code cwd}, as every PostgreSQL backend's is its data dir. */
    FakeProc workingIn(long pid, Path cwd) throws IOException {
        Path d = Files.createDirectories(root.resolve(Long.toString(pid)));
        Files.createSymbolicLink(d.resolve("cwd"), cwd);
        return this;
    }

    static void postmasterPid(Path dataDir, long pid, long startedEpochSeconds) throws IOException {
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("postmaster.pid"),
                pid + "\n" + dataDir + "\n" + startedEpochSeconds + "\n5432\n/run\n*\n  1 2\nready   \n");
    }
}
