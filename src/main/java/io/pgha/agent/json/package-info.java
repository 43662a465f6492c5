/**
 * JSON for the agent without jackson-databind: {@link io.pgha.agent.json.Json} writes records, maps,
 * collections and the few JDK types the agent uses, reads records back, and parses documents into
 * {@link io.pgha.agent.json.Node} trees, all on jackson-core's streaming parser and generator (which Vert.x
 * brings anyway). Databind and its modules were ~620 of the agent's loaded classes and ~4-5 MB of its resident
 * memory for the handful of shapes below (docs/benchmarks.md). The output matches what Quarkus's ObjectMapper
 * wrote (JsonCompatTest checks it against databind, kept in test scope for that), so etcd values, manifests
 * and HTTP bodies written by an older agent read the same.
 */
package io.pgha.agent.json;
