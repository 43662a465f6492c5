package io.pgha.agent.gossip;

import io.pgha.agent.json.OmitNulls;
import java.util.Map;

/**
 * What one agent publishes about its node under {@code <prefix><node>}. Readers ignore unknown fields, so a
 * newer agent can add facts without breaking older ones; {@code schema} only goes up for incompatible changes.
 * backup, drift and fastPath are optional slots for features that publish their own facts, held as JSON trees
 * (maps, lists, strings, Long, Double, Boolean) so that equality means the same JSON on both sides of etcd.
 *
 * @param updatedAtMillis when the health snapshot behind this status was taken (epoch ms)
 * @param verdicts        role (primary, replica, any) to the agent-check verdict
 */
@OmitNulls
public record AgentStatus(
        int schema,
        String node,
        String agentVersion,
        long updatedAtMillis,
        String role,
        String state,
        Long timeline,
        Long lagBytes,
        Long lagMillis,
        Map<String, VerdictView> verdicts,
        Object backup,
        Object drift,
        Object fastPath) {

    public static final int SCHEMA = 1;

    @OmitNulls
    public record VerdictView(String word, int weight, String cause, String reason) {
    }

    /**
     * The same facts without the time stamp and the verdicts' sentences (their numbers change every cycle):
     * what "changed" means for the publisher.
     */
    public AgentStatus timeless() {
        Map<String, VerdictView> v = verdicts == null ? null : new java.util.TreeMap<>();
        if (v != null) {
            verdicts.forEach((k, x) -> v.put(k, new VerdictView(x.word(), x.weight(), x.cause(), null)));
        }
        return new AgentStatus(schema, node, agentVersion, 0, role, state, timeline, lagBytes, lagMillis, v,
                backup, drift, fastPath);
    }

    public VerdictView verdict(String role) {
        return verdicts == null ? null : verdicts.get(role);
    }
}
