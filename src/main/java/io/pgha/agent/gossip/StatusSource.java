package io.pgha.agent.gossip;

import io.pgha.agent.health.Verdict;
import io.pgha.agent.health.VerdictStore;
import io.pgha.agent.health.Verdicts;
import io.pgha.agent.job.Job;
import io.pgha.agent.node.NodeSnapshot;
import io.pgha.agent.node.Role;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** This node's status as the health loop last saw it, in the published shape; null before the first cycle. */
public final class StatusSource implements Supplier<AgentStatus> {

    private final String node;
    private final String version;
    private final VerdictStore store;
    private final java.util.List<Job> jobs;
    private final io.pgha.agent.json.Json json;

    public StatusSource(String node, String version, VerdictStore store, java.util.List<Job> jobs,
                        io.pgha.agent.json.Json json) {
        this.node = node;
        this.version = version;
        this.store = store;
        this.jobs = java.util.List.copyOf(jobs);
        this.json = json;
    }

    /** The facts a job published for one slot, or null (a failing job must not stop the gossip). */
    private Object slot(String name) {
        for (Job j : jobs) {
            if (name.equals(j.slot())) {
                try {
                    Object v = j.facts();
                    return v == null ? null : json.toTree(v);
                } catch (RuntimeException e) {
                    return null;
                }
            }
        }
        return null;
    }

    @Override
    public AgentStatus get() {
        return store.last().map(d -> of(d.snapshot(), store.current())).orElse(null);
    }

    private AgentStatus of(NodeSnapshot s, Verdicts v) {
        Map<String, AgentStatus.VerdictView> verdicts = new TreeMap<>();
        for (Role r : Role.values()) {
            Verdict x = v.of(r);
            verdicts.put(r.wire(), new AgentStatus.VerdictView(x.label(), x.weight(), x.cause(), x.reason()));
        }
        var pg = s.postgres();
        var patroni = s.patroni();
        Long timeline = pg.timeline() != null ? pg.timeline() : patroni.timeline();
        return new AgentStatus(AgentStatus.SCHEMA, node, version, s.takenAt().toEpochMilli(), patroni.role(),
                patroni.state(), timeline, PublishPolicy.roundLag(pg.replayLagBytes()),
                PublishPolicy.roundMillis(pg.replayLag()), verdicts, slot("backup"), slot("drift"), slot("fastPath"));
    }
}
