package io.pgha.agent.etcd;

import io.pgha.agent.node.Outcome;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/** How a failed jetcd call ended, in the probes' terms: jetcd and gRPC wrap the cause a few levels deep. */
public final class EtcdOutcomes {

    private EtcdOutcomes() {
    }

    public static Outcome of(Throwable error) {
        for (Throwable c = error; c != null; c = c.getCause()) {
            if (c instanceof TimeoutException) {
                return Outcome.TIMEOUT;
            }
            if (c instanceof ConnectException) {
                return Outcome.REFUSED;
            }
        }
        return Outcome.ERROR;
    }
}
