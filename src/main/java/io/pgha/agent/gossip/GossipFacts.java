package io.pgha.agent.gossip;

/**
 * A feature's facts for this node's published status (backup, drift, fastPath). Features implement it
 * as a CDI bean, so gossip depends on none of them; {@link #facts()} must be cheap and do no I/O.
 */
public interface GossipFacts {

    /** One of the status's optional slots: {@code backup}, {@code drift} or {@code fastPath}. */
    String slot();

    /** A value Jackson can serialise, or null when there is nothing to say. */
    Object facts();
}
