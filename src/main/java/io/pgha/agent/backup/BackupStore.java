package io.pgha.agent.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The backup directory. Everything in flight carries the {@value #PARTIAL} prefix until it is complete, fsynced
 * and renamed; only names with that prefix are ever swept, and only files a manifest of ours names are ever
 * deleted, so an operator's own files in the directory are safe.
 */
public final class BackupStore {

    /** One manifest file as found: parsed, or refused with a reason; {@code complete} = its files exist. */
    public record Listed(Path path, BackupManifest.Parsed parsed, boolean complete) {
    }

    static final String PARTIAL = ".pgha-partial-";

    private final Path dir;

    public BackupStore(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path partial(String name) {
        return dir.resolve(PARTIAL + name);
    }

    public Path file(String name) {
        if (!BackupManifest.safeName(name)) {
            throw new IllegalArgumentException("not a plain file name: " + name);
        }
        return dir.resolve(name);
    }

    public long usableSpace() throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    /** Removes what an interrupted run left behind (only our own prefix); returns the names removed. */
    public List<String> sweepPartials() throws IOException {
        List<String> removed = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, PARTIAL + "*")) {
            for (Path p : ds) {
                deleteTree(p);
                removed.add(p.getFileName().toString());
            }
        }
        return removed;
    }

    public void removeQuietly(Path p) {
        try {
            deleteTree(p);
        } catch (IOException e) {
            // Best effort on a failure path; the next sweep retries.
        }
    }

    /** Mode 0600 (0700 for directories), fsync, atomic rename to {@code name}, fsync the directory. */
    public Path commit(Path partial, String name) throws IOException {
        try (Stream<Path> s = Files.walk(partial)) {
            for (Path p : s.toList()) {
                boolean d = Files.isDirectory(p);
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(d ? "rwx------" : "rw-------"));
                if (!d) {
                    fsync(p);
                }
            }
        }
        if (Files.isDirectory(partial)) {
            fsync(partial);
        }
        Path target = file(name);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        fsync(dir);
        return target;
    }

    public void writeManifest(BackupManifest m) throws IOException {
        Path tmp = partial(m.id() + BackupManifest.SUFFIX);
        Files.writeString(tmp, m.toJson(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        commit(tmp, m.id() + BackupManifest.SUFFIX);
    }

    public List<Listed> list() throws IOException {
        List<Listed> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + BackupManifest.SUFFIX)) {
            for (Path p : ds) {
                if (p.getFileName().toString().startsWith(PARTIAL)) {
                    continue;
                }
                BackupManifest.Parsed parsed = BackupManifest.parse(Files.readString(p, StandardCharsets.UTF_8));
                boolean complete = parsed.manifest().map(m -> m.files().stream().allMatch(f -> Files.exists(file(f))))
                        .orElse(false);
                out.add(new Listed(p, parsed, complete));
            }
        }
        out.sort(Comparator.comparing(l -> l.path().getFileName().toString()));
        return out;
    }

    /**
     * Deletes a backup: its files are first renamed to the partial prefix (so a crash leaves only sweepable
     * names), then the manifest goes, then the files.
     */
    public void delete(BackupManifest m) throws IOException {
        List<Path> doomed = new ArrayList<>();
        for (String f : m.files()) {
            Path p = file(f);
            if (Files.exists(p)) {
                Path q = partial("deleting-" + f);
                Files.move(p, q, StandardCopyOption.ATOMIC_MOVE);
                doomed.add(q);
            }
        }
        Files.deleteIfExists(file(m.id() + BackupManifest.SUFFIX));
        for (Path q : doomed) {
            deleteTree(q);
        }
        fsync(dir);
    }

    public static long size(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            long total = 0;
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                total += Files.size(f);
            }
            return total;
        }
    }

    /** SHA-256 of a file; of a directory: of every file's relative name and content, in name order. */
    public static String sha256(Path p) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 20];
        List<Path> files;
        try (Stream<Path> s = Files.walk(p)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            if (Files.isDirectory(p)) {
                md.update(p.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
            }
            try (InputStream in = Files.newInputStream(f)) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    md.update(buf, 0, n);
                }
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void fsync(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
