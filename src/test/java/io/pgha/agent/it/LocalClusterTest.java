package io.pgha.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The IT's only logic that can be checked without a cluster: reading `pgha-local env`. */
class LocalClusterTest {

    @Test
    void parsesShellLines() {
        LocalCluster c = new LocalCluster(LocalCluster.parse("""
                # local cluster
                NODE1_ADDR=10.231.0.11
                export NODE2_ADDR="10.231.0.12"
                NODE3_ADDR='10.231.0.13'
                AGENT_CHECK_PORT=5480
                not a line
                """));
        assertEquals(List.of("10.231.0.11", "10.231.0.12", "10.231.0.13"), c.nodeAddresses());
        assertEquals(5480, c.agentCheckPort());
        assertEquals(8008, c.patroniPort());
    }
}
