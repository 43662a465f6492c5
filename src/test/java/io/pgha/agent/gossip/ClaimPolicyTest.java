package io.pgha.agent.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgha.agent.node.ClaimJudgement;
import io.pgha.agent.node.LeaderClaim;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The claim table. The overwrite rows are the etcd history of the lost-write fault on Patroni 3.0.2: patroni1
 * created the key at 1727 after patroni2's lease expired; patroni2 came back and wrote it at 1759.
 */
class ClaimPolicyTest {

    static PatroniMember member(String name, String role, String state) {
        return new PatroniMember(name, role, state, "10.0.0.1", 5432, "http://10.0.0.1:8008/patroni", 2L, 1L);
    }

    static final LeaderClaim OVERWRITTEN = new LeaderClaim("patroni2", 1727, 1759, 2, 0x42, "patroni1");

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("no key", null, Map.of(), false, "no-key", "no leader key in etcd"),
                Arguments.of("a fresh acquisition (version 1)", LeaderClaim.of("patroni1", 1727, 1727, 1, 0x41),
                        Map.of(), false, "acquired", "patroni1 acquired the leader key at revision 1727"),
                Arguments.of("the same holder re-leased (TTL change)", new LeaderClaim("patroni1", 1727, 1800, 2, 0x43,
                        "patroni1"), Map.of(), false, "acquired", "patroni1 acquired the leader key at revision 1727"),
                Arguments.of("creator not known (compacted)", LeaderClaim.of("patroni2", 1727, 1759, 2, 0x42), Map.of(),
                        false, "creator-unknown", "who created the leader key at revision 1727 is unknown"),
                Arguments.of("overwrite while the creator is still primary", OVERWRITTEN,
                        Map.of("patroni1", member("patroni1", "primary", "running")), true, "stale-claim",
                        "patroni2 overwrote patroni1's leader key (created at revision 1727) at revision 1759 instead of "
                                + "acquiring a free key"),
                Arguments.of("overwrite, the creator's Patroni 3.0 says master", OVERWRITTEN,
                        Map.of("patroni1", member("patroni1", "master", "running")), true, "stale-claim",
                        "patroni1 is still master, running, so patroni2's claim is stale: fencing it"),
                Arguments.of("overwrite, the creator's member key is gone", OVERWRITTEN, Map.of(), true, "stale-claim",
                        "patroni1 has no member key (state unknown)"),
                Arguments.of("overwrite, the creator is a replica still starting", OVERWRITTEN,
                        Map.of("patroni1", member("patroni1", "replica", "starting")), true, "stale-claim",
                        "is still replica, starting"),
                Arguments.of("overwrite, the creator now streams as a replica", OVERWRITTEN,
                        Map.of("patroni1", member("patroni1", "replica", "streaming")), false,
                        "overwritten-creator-replica", "patroni1 now runs as a replica, so patroni2 is the only writer left"),
                Arguments.of("overwrite, the creator runs as a 3.0 replica", OVERWRITTEN,
                        Map.of("patroni1", member("patroni1", "replica", "running")), false,
                        "overwritten-creator-replica", "only writer left"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void judges(String name, LeaderClaim claim, Map<String, PatroniMember> members, boolean stale, String cause,
            String reasonFragment) {
        ClaimJudgement j = new ClaimPolicy().judge(claim, members);
        assertEquals(stale, j.stale(), j.reason());
        assertEquals(cause, j.cause());
        assertTrue(j.reason().contains(reasonFragment), j.reason());
        assertEquals(claim == null ? null : claim.holder(), j.holder());
    }
}
