package io.pgha.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temporary directories for @QuarkusTest profiles, which need a path before JUnit's @TempDir exists. Deleted,
 * contents and all, when the test JVM exits: File.deleteOnExit only removes empty directories, so every run used
 * to leave its token files and keystores in /tmp.
 */
public final class TempDirs {
    private TempDirs() {
    }

    public static Path create(String prefix) {
        try {
            return deleteAtExit(Files.createTempDirectory(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path deleteAtExit(Path dir) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir), "delete " + dir.getFileName()));
        return dir;
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // Best effort at exit: /tmp is cleaned by the OS anyway.
        }
    }
}
