package io.pgha.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup directory: only our partial names are swept, only manifest-named files are deleted. */
class BackupStoreTest {

    @TempDir
    Path dir;

    @Test
    void sweepRemovesOnlyPartialNames() throws Exception {
        Files.writeString(dir.resolve(".pgha-partial-x.dump"), "half");
        Files.createDirectories(dir.resolve(".pgha-partial-y.dir"));
        Files.writeString(dir.resolve(".pgha-partial-y.dir/toc.dat"), "half");
        Files.writeString(dir.resolve("operator.dump"), "theirs");
        BackupStore store = new BackupStore(dir);
        assertEquals(2, store.sweepPartials().size());
        assertEquals(List.of("operator.dump"), Files.list(dir).map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void commitRenamesWithMode0600() throws Exception {
        BackupStore store = new BackupStore(dir);
        Path partial = store.partial("a.dump");
        Files.writeString(partial, "dump");
        Path done = store.commit(partial, "a.dump");
        assertFalse(Files.exists(partial));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(done)));
    }

    @Test
    void deleteTouchesOnlyTheManifestAndItsFiles() throws Exception {
        BackupStore store = new BackupStore(dir);
        BackupManifest m = BackupManifestTest.sample();
        Files.writeString(dir.resolve(m.files().get(0)), "dump");
        store.writeManifest(m);
        Files.writeString(dir.resolve("20261126T030000Z-patroni2-bench.dump.bak"), "operator's copy");
        assertEquals(1, store.list().size());
        assertTrue(store.list().get(0).complete());
        store.delete(m);
        assertEquals(List.of("20261126T030000Z-patroni2-bench.dump.bak"),
                Files.list(dir).map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void aManifestWhoseFileIsGoneIsListedIncomplete() throws Exception {
        BackupStore store = new BackupStore(dir);
        store.writeManifest(BackupManifestTest.sample());
        assertFalse(store.list().get(0).complete());
    }

    @Test
    void opensslAndTheJavaFallbackAgree() throws Exception {
        Path f = dir.resolve("x.dump");
        Files.write(f, new byte[3 * 1024 * 1024 + 17]);
        PgTools tools = new PgTools(Path.of("/usr/lib/postgresql/15/bin"),
                new ToolRunner(java.util.Map.of(), () -> false), java.time.Duration.ofSeconds(30));
        assertEquals(BackupStore.sha256(f), tools.sha256(f).orElseThrow());
        assertTrue(tools.sha256(dir).isEmpty(), "directories are hashed in Java");
    }

    @Test
    void checksumOfADirectoryCoversNamesAndContents() throws Exception {
        Files.createDirectories(dir.resolve("d"));
        Files.writeString(dir.resolve("d/1.dat"), "x");
        String one = BackupStore.sha256(dir.resolve("d"));
        Files.move(dir.resolve("d/1.dat"), dir.resolve("d/2.dat"));
        assertFalse(one.equals(BackupStore.sha256(dir.resolve("d"))), "a renamed file must change the checksum");
        assertEquals(64, one.length());
    }
}
