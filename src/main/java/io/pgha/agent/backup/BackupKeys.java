package io.pgha.agent.backup;

/**
 * The backup feature's etcd keys, in one place, under {@code /pgha/<scope>/backup/} (pgha's own tree, never
 * Patroni's). Run keys carry the scheduled fire instant, so every agent derives the same key for the same run.
 */
public record BackupKeys(String scope) {

    public String prefix() {
        return "/pgha/" + scope + "/backup/";
    }

    /** Value: the claiming node; "node done" once the run completed. */
    public String run(String runKey) {
        return prefix() + "run/" + runKey;
    }

    /** Value: the node running a backup now; bound to that run's lease. */
    public String lock() {
        return prefix() + "lock";
    }
}
