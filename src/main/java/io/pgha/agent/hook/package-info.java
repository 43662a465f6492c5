/**
 * The HAProxy hook: the same build run with pgha.mode=hook beside HAProxy. It follows the etcd cluster view
 * (Patroni's leader key and the agents' gossip) and pushes it into HAProxy through the runtime API at once,
 * because polling checks add seconds to every switchover. Pure {@link io.pgha.agent.hook.HookPolicy} decides;
 * {@link io.pgha.agent.hook.HookRunner} reads and sends. HAProxy's own checks stay configured as the safety
 * net, and the hook never sets a state those checks cannot lift (see HookPolicy), so a dead hook degrades to
 * plain check-based routing instead of freezing the last pushed state.
 */
package io.pgha.agent.hook;
