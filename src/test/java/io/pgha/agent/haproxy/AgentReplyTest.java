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
        assertEquals(Optional.of(expected), AgentReply.parse(line));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"leader", "primary replica", "GET / HTTP/1.1", "prim", "any;"})
    void rejectsUnknownWords(String line) {
        assertEquals(Optional.empty(), AgentReply.parse(line));
    }

    @Test
    void rejectsBinaryAndOversized() {
        assertEquals(Optional.empty(), AgentReply.parse(new byte[] {0x16, 0x03, 0x01, 0x00}));
        assertEquals(Optional.empty(), AgentReply.parse(new byte[] {'a', 'n', 'y', 0}));
        assertEquals(Optional.empty(), AgentReply.parse("any" + " ".repeat(AgentReply.MAX_REQUEST)));
        assertEquals(Optional.empty(), AgentReply.parse("prim\u00e4ry"));
    }
}
