package io.pgha.agent.patroni;

import io.pgha.agent.node.PatroniStatus;
import java.util.concurrent.CompletionStage;

/** The one thing the health loop needs from Patroni. The stage always completes normally, within its bound. */
public interface PatroniApi {
    CompletionStage<PatroniStatus> fetch();
}
