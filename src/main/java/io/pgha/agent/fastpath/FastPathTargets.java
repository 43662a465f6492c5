package io.pgha.agent.fastpath;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the evidence is: this node's Patroni REST and PostgreSQL addresses, its data directory,
 * the text that tells its Patroni process from other nodes' in a shared process table, and the
 * connect timeout (well under the check interval, so a check never overlaps the next).
 */
public record FastPathTargets(
        String patroniHost, int patroniPort,
        String postgresHost, int postgresPort,
        Path dataDir, String patroniMatch, Duration connectTimeout) {
}
