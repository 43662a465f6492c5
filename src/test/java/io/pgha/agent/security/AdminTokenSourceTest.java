package io.pgha.agent.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the token comes from: the file wins over the inline value, is re-read on change, fails closed. */
class AdminTokenSourceTest {

    private static final String FILE_TOKEN = "file-token-0123456789";
    private static final String INLINE_TOKEN = "inline-token-0123456789";

    @Test
    void theFileWinsAndItsTrailingNewlineIsNotPartOfTheToken(@TempDir Path tmp) throws IOException {
        Path f = Files.writeString(tmp.resolve("token"), FILE_TOKEN + "\n");
        AdminTokenSource s = new AdminTokenSource(Optional.of(f), Optional.of(INLINE_TOKEN), false);
        assertTrue(s.current().orElseThrow().matches(FILE_TOKEN));
        assertFalse(s.current().orElseThrow().matches(FILE_TOKEN + "\n"));
        assertFalse(s.current().orElseThrow().matches(INLINE_TOKEN));
    }

    @Test
    void aRotatedFileIsReadAgain(@TempDir Path tmp) throws IOException {
        Path f = Files.writeString(tmp.resolve("token"), FILE_TOKEN);
        AdminTokenSource s = new AdminTokenSource(Optional.of(f), Optional.empty(), false);
        assertTrue(s.current().orElseThrow().matches(FILE_TOKEN));
        Files.writeString(f, "rotated-token-0123456789\n");
        Files.setLastModifiedTime(f, FileTime.from(Instant.now().plusSeconds(5)));
        assertTrue(s.current().orElseThrow().matches("rotated-token-0123456789"));
        assertFalse(s.current().orElseThrow().matches(FILE_TOKEN));
    }

    @Test
    void aVanishedOrEmptyFileMeansNoTokenNotTheInlineOne(@TempDir Path tmp) throws IOException {
        Path f = Files.writeString(tmp.resolve("token"), FILE_TOKEN);
        AdminTokenSource s = new AdminTokenSource(Optional.of(f), Optional.of(INLINE_TOKEN), false);
        assertTrue(s.current().isPresent());
        Files.delete(f);
        assertTrue(s.current().isEmpty());
        Files.writeString(f, "\n");
        assertTrue(s.current().isEmpty());
    }

    @Test
    void inlineOnlyAndNothingAtAll() {
        assertTrue(new AdminTokenSource(Optional.empty(), Optional.of(INLINE_TOKEN), false).current().orElseThrow()
                .matches(INLINE_TOKEN));
        assertTrue(new AdminTokenSource(Optional.empty(), Optional.empty(), false).current().isEmpty());
        assertTrue(new AdminTokenSource(Optional.empty(), Optional.of(" "), false).current().isEmpty());
    }
}
