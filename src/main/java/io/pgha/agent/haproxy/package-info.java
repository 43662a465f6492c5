/**
 * Talking to HAProxy. {@link io.pgha.agent.haproxy.AgentReply} is the pure grammar (what HAProxy may send,
 * what we answer); {@link io.pgha.agent.haproxy.AgentCheckServer} is the TCP server (one selector thread) that
 * answers one line per connection from the cached verdicts and never waits on a probe.
 */
package io.pgha.agent.haproxy;
