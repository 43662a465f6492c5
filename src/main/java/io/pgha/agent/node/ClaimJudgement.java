package io.pgha.agent.node;

/**
 * Whether the leader key's holder may be routed as the writer, from how it got the key.
 *
 * @param holder the member the key names, null when there is no key
 * @param stale  the holder overwrote a newer leader's key while that leader may still write: never route it
 * @param cause  a short word for metrics and logs
 * @param reason the sentence an operator reads
 */
public record ClaimJudgement(String holder, boolean stale, String cause, String reason) {
}
