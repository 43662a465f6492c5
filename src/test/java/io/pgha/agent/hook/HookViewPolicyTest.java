package io.pgha.agent.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgha.agent.gossip.HookStatus;
import io.pgha.agent.gossip.PublishPolicy;
import io.pgha.agent.gossip.PublishPolicy.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HookViewPolicyTest {

    static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");
    static final HookViewPolicy POLICY = new HookViewPolicy("hook", Duration.ofSeconds(10),
            new PublishPolicy(Duration.ofSeconds(5), Duration.ofSeconds(1)));

    static ServerState s(String backend, String name, int op, int admin, int weight) {
        return new ServerState(backend, name, "10.0.0.1", op, admin, weight, 1);
    }

    static HookDecision decision(String reason, HookAction... actions) {
        return new HookDecision(List.of(actions), reason, false);
    }

    static final HookAction DOWN1 = new HookAction("set server primary/patroni1 health down", "health-down",
            "patroni1 is not the leader (etcd names patroni2)");
    static final HookAction UP2 = new HookAction("set server primary/patroni2 health up", "health-up",
            "patroni2 holds the leader key; HAProxy still marks it down");

    @Test
    void wordsAreWhatHaproxysStatsPageWouldSay() {
        assertEquals("UP", HookViewPolicy.word(s("primary", "a", 2, 0, 1)));
        assertEquals("UP", HookViewPolicy.word(s("primary", "a", 1, 0, 1)), "slow start already takes traffic");
        assertEquals("DOWN", HookViewPolicy.word(s("primary", "a", 0, 0, 1)));
        assertEquals("DRAIN", HookViewPolicy.word(s("primary", "a", 3, 0, 1)), "stopping takes no new sessions");
        assertEquals("DRAIN", HookViewPolicy.word(s("primary", "a", 2, 0, 0)), "weight 0 takes no new sessions");
        assertEquals("DRAIN", HookViewPolicy.word(s("primary", "a", 2, ServerState.FORCED_DRAIN, 1)));
        assertEquals("MAINT", HookViewPolicy.word(s("primary", "a", 0, ServerState.FORCED_MAINT, 1)));
        assertEquals("MAINT", HookViewPolicy.word(s("primary", "a", 2, 0x04, 1)), "disabled in the config");
        assertEquals("MAINT", HookViewPolicy.word(s("primary", "a", 2, ServerState.FORCED_MAINT | ServerState.FORCED_DRAIN, 1)),
                "maint wins over drain");
    }

    @Test
    void aReadReplacesTheServersAndKeepsTheHistory() {
        HookStatus v = POLICY.decided(POLICY.starting(), decision("route", DOWN1), "ok", T0);
        v = POLICY.read(v, List.of(s("primary", "patroni1", 0, 0, 1), s("replicas", "patroni1", 2, 0, 50)),
                T0.plusSeconds(1));
        assertTrue(v.socketOk());
        assertNull(v.socketError());
        assertEquals(T0.plusSeconds(1).toEpochMilli(), v.readAtMillis());
        assertEquals(List.of(new HookStatus.Server("primary", "patroni1", "DOWN", 1, 1, 0, 0),
                new HookStatus.Server("replicas", "patroni1", "UP", 50, 1, 2, 0)), v.servers());
        assertEquals(1, v.actions().size());
        assertEquals("hook", v.hook());
        assertEquals(10_000, v.refreshMillis());
    }

    @Test
    void aFailedReadKeepsTheLastGoodServersAndSaysSinceWhenWithoutThePath() {
        HookStatus good = POLICY.read(POLICY.starting(), List.of(s("primary", "patroni1", 2, 0, 1)), T0);
        HookStatus f1 = POLICY.readFailed(good, "no answer from /run/haproxy/admin.sock within 500 ms", T0.plusSeconds(2));
        HookStatus f2 = POLICY.readFailed(f1, "no answer from /run/haproxy/admin.sock within 500 ms", T0.plusSeconds(5));
        assertFalse(f2.socketOk());
        assertEquals(good.servers(), f2.servers(), "the last good servers stay, marked as old");
        assertEquals(T0.toEpochMilli(), f2.readAtMillis(), "the age of the last good read stays visible");
        assertEquals(T0.plusSeconds(2).toEpochMilli(), f2.failingSinceMillis(), "since the first failure");
        assertEquals("no answer from <admin socket> within 500 ms", f2.socketError());
        assertTrue(f2.decision().contains("HAProxy's own checks"), f2.decision());
        HookStatus back = POLICY.read(f2, List.of(s("primary", "patroni1", 2, 0, 1)), T0.plusSeconds(6));
        assertTrue(back.socketOk());
        assertNull(back.failingSinceMillis());
        assertEquals("admin socket read failed", HookViewPolicy.describe(null));
        assertEquals("java.net.SocketException: No such file or directory (<admin socket>)",
                HookViewPolicy.describe("java.net.SocketException: No such file or directory (/var/lib/x/admin.sock)"));
    }

    @Test
    void repeatedPushesAreCountedNotListedAgain() {
        HookStatus v = POLICY.starting();
        for (int i = 0; i < 25; i++) {
            v = POLICY.decided(v, decision("grace", UP2, DOWN1), "ok", T0.plusMillis(200L * i));
        }
        assertEquals(2, v.actions().size(), v.actions().toString());
        HookStatus.Action up = v.actions().stream().filter(a -> a.command().equals(UP2.command())).findFirst().orElseThrow();
        assertEquals(25, up.times());
        assertEquals(T0.toEpochMilli(), up.atMillis());
        assertEquals(T0.plusMillis(200L * 24).toEpochMilli(), up.lastAtMillis());
        assertEquals(UP2.reason(), up.reason());
        // A different outcome is a different entry, and so is the same push long after.
        v = POLICY.decided(v, decision("grace", UP2), "error", T0.plusSeconds(6));
        v = POLICY.decided(v, decision("grace", UP2), "ok", T0.plusSeconds(60));
        assertEquals(List.of("ok", "error", "ok", "ok"), v.actions().stream().map(HookStatus.Action::outcome).toList());
        assertEquals(T0.plusSeconds(60).toEpochMilli(), v.actions().get(0).atMillis(), "newest first");
    }

    @Test
    void onlyTheLastTenPushesAreKeptAndADecisionWithoutCommandsAddsNone() {
        HookStatus v = POLICY.starting();
        for (int i = 0; i < 15; i++) {
            v = POLICY.decided(v, decision("r", new HookAction("set server primary/p" + i + " health down",
                    "health-down", "p" + i)), "ok", T0.plusSeconds(i));
        }
        assertEquals(HookViewPolicy.MAX_ACTIONS, v.actions().size());
        assertEquals("p14", v.actions().get(0).reason());
        assertEquals("p5", v.actions().get(9).reason());
        HookStatus quiet = POLICY.decided(v, decision("HAProxy agrees with etcd: patroni2 is the only writer"), null,
                T0.plusSeconds(20));
        assertEquals(v.actions(), quiet.actions());
        assertEquals("HAProxy agrees with etcd: patroni2 is the only writer", quiet.decision());
    }

    @Test
    void sameFactsIgnoresTimesCountsAndNumbersInSentences() {
        HookStatus a = POLICY.decided(POLICY.read(POLICY.starting(), List.of(s("primary", "patroni1", 2, 0, 1)), T0),
                new HookDecision(List.of(), "etcd view not confirmed for 3100 ms: handed back", true), null, T0);
        HookStatus b = POLICY.decided(POLICY.read(a, List.of(s("primary", "patroni1", 2, 0, 1)), T0.plusSeconds(1)),
                new HookDecision(List.of(), "etcd view not confirmed for 4100 ms: handed back", true), null,
                T0.plusSeconds(1));
        assertTrue(HookViewPolicy.sameFacts(a, b));
        HookStatus c = POLICY.read(b, List.of(s("primary", "patroni1", 0, 0, 1)), T0.plusSeconds(2));
        assertFalse(HookViewPolicy.sameFacts(b, c), "a server changed state");
        HookStatus d = POLICY.decided(b, decision("r", DOWN1), "ok", T0.plusSeconds(2));
        HookStatus e = POLICY.decided(d, decision("r", DOWN1), "ok", T0.plusSeconds(3));
        assertFalse(HookViewPolicy.sameFacts(b, d), "a new push");
        assertTrue(HookViewPolicy.sameFacts(d, e), "the same push again only counts");
        assertFalse(HookViewPolicy.sameFacts(b, POLICY.readFailed(b, "boom", T0)), "the socket failing");
    }

    @Test
    void publishesOnChangeAndRefreshesOtherwiseOnlyKeepsTheLeaseAlive() {
        HookStatus v = POLICY.read(POLICY.starting(), List.of(s("primary", "patroni1", 2, 0, 1)), T0);
        assertEquals(Step.WAIT, POLICY.publish(null, null, false, false, null, null, T0).step());
        assertEquals(Step.GRANT_AND_PUT, POLICY.publish(v, null, false, false, null, null, T0).step());
        assertEquals(Step.GRANT_AND_PUT, POLICY.publish(v, v, false, false, T0, null, T0).step(), "lease lost");
        assertEquals(Step.KEEP_ALIVE, POLICY.publish(v, v, true, false, T0, null, T0.plusSeconds(9)).step());
        assertEquals(Step.PUT, POLICY.publish(v, v, true, true, T0, null, T0.plusSeconds(1)).step(), "overwritten");
        HookStatus later = POLICY.read(v, List.of(s("primary", "patroni1", 2, 0, 1)), T0.plusSeconds(9));
        assertEquals(Step.KEEP_ALIVE, POLICY.publish(later, v, true, false, T0, null, T0.plusSeconds(9)).step(),
                "a newer read time alone is no change");
        assertEquals(Step.PUT, POLICY.publish(later, v, true, false, T0, null, T0.plusSeconds(10)).step(), "refresh");
        HookStatus changed = POLICY.read(v, List.of(s("primary", "patroni1", 0, 0, 1)), T0.plusSeconds(1));
        assertEquals(Step.PUT, POLICY.publish(changed, v, true, false, T0, null, T0.plusSeconds(1)).step());
    }

    /** The agents' rule (5 s TTL, 1 s ticks): a keep-alive only once the lease would be past half its TTL. */
    @Test
    void keepsTheLeaseAliveOnlyWhenItWouldPassHalfItsTtl() {
        HookStatus v = POLICY.read(POLICY.starting(), List.of(s("primary", "patroni1", 2, 0, 1)), T0);
        Instant now = T0.plusSeconds(5);
        PublishPolicy.Decision fresh = POLICY.publish(v, v, true, false, T0, now.minusSeconds(1), now);
        assertEquals(Step.WAIT, fresh.step());
        assertEquals(PublishPolicy.FRESH, fresh.reason());
        assertEquals(Step.KEEP_ALIVE, POLICY.publish(v, v, true, false, T0, now.minusSeconds(2), now).step(),
                "2 s since the renewal + the 1 s tick reaches half the 5 s TTL");
        assertEquals(Step.PUT, POLICY.publish(v, v, true, true, T0, now, now).step(), "overwritten: fresh or not");
        HookStatus changed = POLICY.read(v, List.of(s("primary", "patroni1", 0, 0, 1)), now);
        assertEquals(Step.PUT, POLICY.publish(changed, v, true, false, T0, now, now).step(), "changed: fresh or not");
        assertEquals(Step.PUT, POLICY.publish(v, v, true, false, T0, T0.plusSeconds(10), T0.plusSeconds(10)).step(),
                "refresh: fresh or not");
        assertEquals(Step.GRANT_AND_PUT, POLICY.publish(v, v, false, false, T0, now, now).step(), "lease lost");
    }
}
