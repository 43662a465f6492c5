/**
 * What one health cycle saw, as immutable records and enums only: {@link io.pgha.agent.node.NodeSnapshot}
 * and its parts. Nothing here does I/O or decides anything; the probes fill these in, the policies read them.
 */
package io.pgha.agent.node;
