package io.pgha.agent.etcd;

import io.pgha.agent.node.EtcdStatus;
import java.util.concurrent.CompletionStage;

/** Reads Patroni's leader key. The stage always completes normally, within its bound. */
public interface LeaderReader {
    CompletionStage<EtcdStatus> read();
}
