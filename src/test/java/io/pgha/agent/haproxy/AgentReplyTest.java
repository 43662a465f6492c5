package io.pgha.agent.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgha.agent.health.Verdict;
import io.pgha.agent.node.Role;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentReplyTest {

    @Test
    void upAlsoSaysReadySoADrainOrMaintIsLifted() {
        assertEquals("up ready 100% #leader, etcd agrees\n", AgentReply.format(Verdict.up("leader", "leader, etcd agrees")));
    }

    @Test
    void weightCarriesUpAndReadyToo() {
        assertEquals("up ready 50% #lag 3.0 MB\n", AgentReply.format(Verdict.weight(50, "lag-weight", "lag 3.0 MB")));
    }

    @Test
    void downCarriesItsReason() {
        assertEquals("down #split brain: etcd names node2\n",
                AgentReply.format(Verdict.down("split-brain", "split brain: etcd names node2")));
    }

    @Test
    void drainAndMaintGoBareBecauseHaproxyShowsTextOnlyWithAHealthWord() {
        assertEquals("drain\n", AgentReply.format(Verdict.drain("lag-soft", "lag over soft")));
        assertEquals("maint\n", AgentReply.format(Verdict.maint("maintenance", "flag")));
    }

    @Test
    void reasonCannotBreakTheLine() {
        String line = AgentReply.format(Verdict.down("x", "first\r\nsecond\tthird\u00e9"));
        assertEquals("down #first  second third\n", line);
        assertEquals(1, line.chars().filter(c -> c == '\n').count());
    }

    @Test
    void longReasonsAreCut() {
        String line = AgentReply.format(Verdict.down("x", "y".repeat(1000)));
        assertTrue(line.length() <= "down #".length() + AgentReply.MAX_REASON + 1, line);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "primary|PRIMARY",
        "replica|REPLICA",
        "any|ANY",
        "PRIMARY|PRIMARY",
        "'  replica\r'|REPLICA",
        "''|ANY",
        "'\t'|ANY"})
    void parsesRoles(String line, Role expected) {
        assertEquals(Optional.of(expected), parse(line));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"leader", "primary replica", "GET / HTTP/1.1", "prim", "any;"})
    void rejectsUnknownWords(String line) {
        assertEquals(Optional.empty(), parse(line));
    }

    @Test
    void rejectsBinaryAndOversized() {
        assertEquals(Optional.empty(), parse(new byte[] {0x16, 0x03, 0x01, 0x00}));
        assertEquals(Optional.empty(), parse(new byte[] {'a', 'n', 'y', 0}));
        assertEquals(Optional.empty(), parse("any" + " ".repeat(AgentReply.MAX_REQUEST)));
        assertEquals(Optional.empty(), parse("prim\u00e4ry"));
    }

    @Test
    void readsOnlyTheGivenLengthOfTheBuffer() {
        byte[] buf = "replica\nprimary".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals(Role.REPLICA, AgentReply.role(buf, 7));
        assertEquals(Role.ANY, AgentReply.role(buf, 0));
        assertEquals(null, AgentReply.role(buf, 8), "the LF is not part of a line");
    }

    /**
     * The allocation-free parser against the String-based rules it replaced (strip, then a case-insensitive
     * name), on words near the role names and on random bytes.
     */
    @Test
    void agreesWithTheStringRulesItReplaced() {
        java.util.Random random = new java.util.Random(42);
        java.util.List<byte[]> lines = new java.util.ArrayList<>();
        for (String w : new String[] {"primary", "PrImArY", " any ", "any\r", "\tReplica\t", "replic", "replicas",
                "any any", "", "   ", "a", "ANY\r\r", "prim ary", "@NY", "[ny", "{ny", "primar\u00ff"}) {
            lines.add(w.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        byte[] alphabet = " \t\r\n\u0000aAnNyYpPrRiImMeEcClL@[{`~\u0080".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 20_000; i++) {
            byte[] line = new byte[random.nextInt(12)];
            for (int j = 0; j < line.length; j++) {
                line[j] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
            }
            lines.add(line);
        }
        for (byte[] line : lines) {
            assertEquals(stringRules(line), parse(line), () -> java.util.Arrays.toString(line));
        }
    }

    private static Optional<Role> stringRules(byte[] line) {
        if (line.length > AgentReply.MAX_REQUEST) {
            return Optional.empty();
        }
        for (byte b : line) {
            if (!(b >= 0x20 && b < 0x7f) && b != '\t' && b != '\r') {
                return Optional.empty();
            }
        }
        String word = new String(line, java.nio.charset.StandardCharsets.US_ASCII).strip();
        if (word.isEmpty()) {
            return Optional.of(Role.ANY);
        }
        return java.util.Arrays.stream(Role.values()).filter(r -> r.wire().equalsIgnoreCase(word)).findFirst();
    }

    private static Optional<Role> parse(byte[] line) {
        return Optional.ofNullable(AgentReply.role(line, line.length));
    }

    private static Optional<Role> parse(String line) {
        return parse(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
