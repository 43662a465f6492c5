package io.pgha.agent.http;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The records the agent writes or reads as JSON ({@link io.pgha.agent.json.Json} reads their components and calls
 * their canonical constructors by reflection), registered for a native image with everything they hold. Nothing
 * else names these types to the native build: the JAX-RS layer registered only its methods' declared return
 * types, and those were maps.
 */
@RegisterForReflection(registerFullHierarchy = true, targets = {
        io.pgha.agent.node.NodeSnapshot.class,
        io.pgha.agent.gossip.ClusterView.class,
        io.pgha.agent.gossip.AgentStatus.class,
        io.pgha.agent.gossip.HookStatus.class,
        io.pgha.agent.backup.BackupManifest.class,
        io.pgha.agent.backup.BackupFacts.class,
        io.pgha.agent.backup.BackupJob.Result.class,
        io.pgha.agent.fastpath.FastPathRunner.State.class,
        io.pgha.agent.fastpath.CrashEvidence.class,
        io.pgha.agent.reinit.ReinitRunner.State.class,
        io.pgha.agent.reinit.ReinitRunner.Attempt.class})
final class JsonTypes {

    private JsonTypes() {
    }
}
