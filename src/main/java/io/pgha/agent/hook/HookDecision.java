package io.pgha.agent.hook;

import java.util.List;

/**
 * What one round decided: commands to send (possibly none) and a sentence for the log.
 *
 * @param handedBack true when the view is not trusted and HAProxy's own checks route alone
 */
public record HookDecision(List<HookAction> actions, String reason, boolean handedBack) {

    public HookDecision {
        actions = List.copyOf(actions);
    }
}
