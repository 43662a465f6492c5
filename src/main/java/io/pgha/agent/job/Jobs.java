package io.pgha.agent.job;

import io.micrometer.core.instrument.MeterRegistry;
import io.pgha.agent.config.AgentConfig;
import io.pgha.agent.etcd.EtcdClientHolder;
import io.pgha.agent.etcd.KeyLayout;
import io.pgha.agent.health.VerdictStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Starts every {@link Job} once the health loop runs and stops them at shutdown, newest first, as CloudNativePG's
 * instance manager runs its runnables. Jobs do not depend on each other; they start in the order of their class
 * names, so always in the same order. A stop that throws is logged and the other jobs still stop.
 */
@Singleton
public class Jobs {

    private static final Logger LOG = Logger.getLogger(Jobs.class);

    private final Instance<Job> jobs;

    public Jobs(Instance<Job> jobs) {
        this.jobs = jobs;
    }

    /** The context every job's bean is built from; static, so producing it needs no instance of this bean. */
    @Produces
    @Singleton
    static JobContext context(AgentConfig config, EtcdClientHolder etcd, KeyLayout keys, VerdictStore verdicts,
            MeterRegistry registry, Clock clock) {
        return new JobContext(config, etcd, keys, verdicts, registry, clock);
    }

    private List<Job> ordered() {
        return jobs.stream().sorted(Comparator.comparing(j -> j.getClass().getName())).toList();
    }

    // After the agent-check server (10) and the health loop (20), so the first steps usually have verdicts; before
    // the gossip (30), which only reads the jobs' facts.
    void onStart(@Observes @Priority(25) StartupEvent event) throws Exception {
        for (Job job : ordered()) {
            job.start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        List<Job> all = new ArrayList<>(ordered());
        java.util.Collections.reverse(all);
        for (Job job : all) {
            try {
                job.stop();
            } catch (RuntimeException e) {
                LOG.warnf(e, "%s did not stop cleanly", job.getClass().getSimpleName());
            }
        }
    }
}
