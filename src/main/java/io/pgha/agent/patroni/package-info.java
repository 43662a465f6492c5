/**
 * Patroni's REST API, read only. {@link io.pgha.agent.patroni.PatroniRestClient} turns {@code GET /patroni}
 * into a {@link io.pgha.agent.node.PatroniStatus} and never throws: a refused connection, a timeout and a
 * garbled body all become a failed probe, because a hung Patroni must not keep a writer routed.
 */
package io.pgha.agent.patroni;
