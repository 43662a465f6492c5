package io.pgha.agent.backup;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The read-only accessor for the gossip and the health group: {@link #facts()} never blocks and never does
 * I/O. Only {@link BackupJob} writes it.
 */
public final class BackupStatus {

    private final AtomicReference<BackupFacts> facts = new AtomicReference<>(BackupFacts.NONE);

    public BackupFacts facts() {
        return facts.get();
    }

    void update(UnaryOperator<BackupFacts> change) {
        facts.updateAndGet(change);
    }
}
