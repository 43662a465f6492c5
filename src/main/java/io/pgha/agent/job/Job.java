package io.pgha.agent.job;

/**
 * One background job of the agent beside the health loop: backups, the crash fast path, reinit on drift. Its
 * package holds a pure policy, a {@link Runner} that gathers facts, asks the policy and carries out what it
 * decided, and one bean implementing this interface: it says whether the job runs on this node, builds the runner
 * from the {@link JobContext} (an {@link OnOff} keeps it) and says what the job publishes. {@link Jobs} starts and
 * stops every job, and the gossip puts each job's {@link #facts()} into this node's published status; a job with
 * endpoints also implements {@code http.Routes}. So a new job copies nothing: it is a package with a policy, a
 * runner and this bean.
 */
public interface Job {

    /**
     * Starts the job, or leaves it off, and logs which in one line (the reason when off). Called once, after the
     * health loop has started. An exception stops the agent's startup: keep it for what no operator would want to
     * run with (a backup directory that cannot be created).
     */
    void start() throws Exception;

    /** Stops what {@link #start()} began; called once at shutdown, also for a job that stayed off. */
    void stop();

    /**
     * The optional slot of this node's published status the job fills ({@code backup}, {@code drift} or
     * {@code fastPath}, fields of gossip's AgentStatus); null for a job that publishes nothing.
     */
    String slot();

    /** What goes into the slot: cheap and without I/O (it is read every second), null when there is nothing to say. */
    Object facts();
}
