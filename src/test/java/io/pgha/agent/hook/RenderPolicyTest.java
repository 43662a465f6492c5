package io.pgha.agent.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgha.agent.gossip.PatroniMember;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The render table with the shipped keep-departed of 5 minutes: which members the config lists when a member key
 * comes, goes for a while (a cut-off or rebooting node: no reload), goes for good, or moves.
 */
class RenderPolicyTest {

    static final Instant NOW = Instant.parse("2026-12-04T22:00:00Z");
    static final Duration KEEP = Duration.ofMinutes(5);

    static PatroniMember m(String name, String host) {
        return new PatroniMember(name, "replica", "running", host, 5432, null, 1L, null);
    }

    static Map<String, RenderPolicy.Kept> kept(RenderPolicy.Kept... k) {
        return Stream.of(k).collect(java.util.stream.Collectors.toMap(x -> x.member().name(), x -> x));
    }

    static RenderPolicy.Kept present(String name, String host) {
        return new RenderPolicy.Kept(m(name, host), null);
    }

    static RenderPolicy.Kept goneFor(String name, String host, Duration d) {
        return new RenderPolicy.Kept(m(name, host), NOW.minus(d));
    }

    static final List<PatroniMember> THREE = List.of(m("patroni1", "10.0.0.11"), m("patroni2", "10.0.0.12"),
            m("patroni3", "10.0.0.13"));
    static final List<PatroniMember> TWO = THREE.subList(0, 2);
    static final Map<String, RenderPolicy.Kept> KEPT_THREE = kept(present("patroni1", "10.0.0.11"),
            present("patroni2", "10.0.0.12"), present("patroni3", "10.0.0.13"));

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("first render: what etcd lists", Map.of(), THREE, "patroni1 patroni2 patroni3", List.of(),
                        "rendering 3 member(s): patroni1, patroni2, patroni3"),
                Arguments.of("a member key just expired (node cut off): kept, no reload", KEPT_THREE, TWO,
                        "patroni1 patroni2 patroni3", List.of("patroni3"),
                        "kept although their member key is gone: patroni3 (gone 0.0s), until gone 300.0s "
                                + "(pgha.hook.render.keep-departed), so a node cut off or restarting causes no reload"),
                Arguments.of("gone 4 min: still kept",
                        kept(present("patroni1", "10.0.0.11"), present("patroni2", "10.0.0.12"),
                                goneFor("patroni3", "10.0.0.13", Duration.ofMinutes(4))), TWO,
                        "patroni1 patroni2 patroni3", List.of("patroni3"), "patroni3 (gone 240.0s)"),
                Arguments.of("gone 5 min: dropped (removed for good)",
                        kept(present("patroni1", "10.0.0.11"), present("patroni2", "10.0.0.12"),
                                goneFor("patroni3", "10.0.0.13", KEEP)), TWO,
                        "patroni1 patroni2", List.of(), "dropped, gone for at least 300.0s: patroni3 (gone 300.0s)"),
                Arguments.of("back after 40 s: listed as present again",
                        kept(present("patroni1", "10.0.0.11"), present("patroni2", "10.0.0.12"),
                                goneFor("patroni3", "10.0.0.13", Duration.ofSeconds(40))), THREE,
                        "patroni1 patroni2 patroni3", List.of(), "rendering 3 member(s)"),
                Arguments.of("a fourth node joins", KEPT_THREE,
                        Stream.concat(THREE.stream(), Stream.of(m("patroni4", "10.0.0.14"))).toList(),
                        "patroni1 patroni2 patroni3 patroni4", List.of(), "rendering 4 member(s)"),
                Arguments.of("a member without a parseable address is left out", Map.of(),
                        List.of(m("patroni1", "10.0.0.11"), m("patroni2", null)), "patroni1", List.of(),
                        "rendering 1 member(s): patroni1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(String name, Map<String, RenderPolicy.Kept> prev, List<PatroniMember> present, String rendered,
            List<String> gone, String reasonFragment) {
        RenderPolicy.Decision d = new RenderPolicy(KEEP).decide(prev, present, NOW);
        assertEquals(rendered, String.join(" ", d.render().stream().map(PatroniMember::name).toList()), d.reason());
        assertEquals(gone, d.gone(), d.reason());
        assertTrue(d.reason().contains(reasonFragment), d.reason());
    }

    @org.junit.jupiter.api.Test
    void aMovedMemberIsRenderedAtItsNewAddressAtOnce() {
        RenderPolicy.Decision d = new RenderPolicy(KEEP).decide(KEPT_THREE,
                List.of(m("patroni1", "10.0.0.11"), m("patroni2", "10.0.0.12"), m("patroni3", "10.0.0.23")), NOW);
        assertEquals("10.0.0.23", d.render().get(2).host());
    }

    @org.junit.jupiter.api.Test
    void zeroKeepDropsAtOnce() {
        RenderPolicy.Decision d = new RenderPolicy(Duration.ZERO).decide(KEPT_THREE, TWO, NOW);
        assertEquals(2, d.render().size(), d.reason());
        assertTrue(d.reason().contains("dropped"), d.reason());
    }

    @org.junit.jupiter.api.Test
    void theTimeGoneCountsFromTheFirstRoundWithoutTheKey() {
        RenderPolicy p = new RenderPolicy(KEEP);
        RenderPolicy.Decision first = p.decide(KEPT_THREE, TWO, NOW);
        RenderPolicy.Decision later = p.decide(first.next(), TWO, NOW.plus(KEEP).minusSeconds(1));
        assertEquals(List.of("patroni3"), later.gone(), later.reason());
        RenderPolicy.Decision after = p.decide(later.next(), TWO, NOW.plus(KEEP));
        assertEquals(List.of(), after.gone(), after.reason());
        assertEquals(2, after.render().size(), after.reason());
    }
}
