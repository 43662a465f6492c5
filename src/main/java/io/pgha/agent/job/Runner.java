package io.pgha.agent.job;

/**
 * What a job's bean starts: the part that does the I/O and carries out the policy's decisions, usually one step at
 * a time on a {@link Loop}. Closing it stops it for good; it throws nothing, because there is no one to tell at
 * shutdown.
 */
public interface Runner extends AutoCloseable {

    @Override
    void close();
}
