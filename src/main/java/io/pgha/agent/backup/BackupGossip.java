package io.pgha.agent.backup;

import io.pgha.agent.gossip.GossipFacts;
import jakarta.inject.Singleton;

/** This node's backup facts in its published status (last good backup, last failure, drill). */
@Singleton
public class BackupGossip implements GossipFacts {
    private final BackupStatus status;

    public BackupGossip(BackupStatus status) {
        this.status = status;
    }

    @Override
    public String slot() {
        return "backup";
    }

    @Override
    public Object facts() {
        BackupFacts f = status.facts();
        return f == BackupFacts.NONE ? null : f;
    }
}
