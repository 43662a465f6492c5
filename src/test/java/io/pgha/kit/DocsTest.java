package io.pgha.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What a user reads is finished: no placeholders left in it, and the benchmarks page stays a results page. */
class DocsTest {

    /** An editing marker (a stray "__MORE__" once reached docs/operations.md), or a note to self. */
    private static final Pattern PLACEHOLDER = Pattern.compile("__[A-Z][A-Z_]*__|\\bTODO\\b|\\bTBD\\b|\\bFIXME\\b|\\bXXX\\b");

    @Test
    void noPlaceholdersInTheDocsOrTheReadme() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(Kit.ROOT.resolve("README.md")));
        try (Stream<Path> s = Files.list(Kit.ROOT.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        List<String> found = new ArrayList<>();
        for (Path p : docs) {
            List<String> lines = Kit.text(p).lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = PLACEHOLDER.matcher(lines.get(i));
                if (m.find()) {
                    found.add(Kit.ROOT.relativize(p) + ":" + (i + 1) + ": " + m.group());
                }
            }
        }
        assertEquals(List.of(), found);
    }

    @Test
    void benchmarksOpenWithTheSummaryTableAndStayShort() {
        List<String> lines = Kit.text(Kit.ROOT.resolve("docs/benchmarks.md")).lines().toList();
        assertTrue(lines.size() < 250, "docs/benchmarks.md has " + lines.size() + " lines; dated runs go in commit messages");
        int summary = lines.indexOf("## Summary");
        assertTrue(summary >= 0 && lines.stream().limit(summary).noneMatch(l -> l.startsWith("## ")),
                "docs/benchmarks.md must open with its ## Summary section");
        assertTrue(lines.stream().skip(summary).anyMatch(l -> l.startsWith("| figure | goal | measured")),
                "the summary table (figure, goal, measured, rerun with) is missing");
    }
}
