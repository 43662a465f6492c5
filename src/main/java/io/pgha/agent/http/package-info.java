/**
 * How the agent's own HTTP endpoints answer: routes on Quarkus's Vert.x router (the one that already serves
 * {@code /q/health} and {@code /q/metrics}) rather than a JAX-RS stack, because a dozen small endpoints did not
 * pay for the ~430 classes and ~4 MB of resident memory RESTEasy Reactive loaded (docs/benchmarks.md).
 * {@link io.pgha.agent.http.Replies} writes the bodies; each package registers its own routes beside its logic.
 */
package io.pgha.agent.http;
