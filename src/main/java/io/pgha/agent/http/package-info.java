/**
 * How the agent's own HTTP endpoints answer: routes on Quarkus's Vert.x router (the one that already serves
 * {@code /q/health} and {@code /q/metrics}) rather than a JAX-RS stack, because a dozen small endpoints did not
 * pay for the ~430 classes and ~4 MB of resident memory RESTEasy Reactive loaded (docs/benchmarks.md).
 * {@link io.pgha.agent.http.Replies} writes the bodies. Each package keeps its routes beside its logic: the bean
 * that owns what they serve implements {@link io.pgha.agent.http.Routes} and registers them with
 * {@link io.pgha.agent.http.Endpoints}, which knows how each kind of route runs (event loop, worker, admin gate).
 */
package io.pgha.agent.http;
