package io.pgha.agent.patroni;

import io.pgha.agent.security.PemTrust;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.TrustOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.TrustManagerFactory;

/**
 * How the agent reaches Patroni's REST API: plain, or https trusting a given CA (Patroni's restapi.certfile is
 * usually signed by the cluster's own CA, which the JVM does not know). One place, so the health probe,
 * /cluster reads, reinitialize and the backup's leader lookup all trust the same thing.
 */
public record PatroniTls(Optional<TrustManagerFactory> trust) {

    public static final PatroniTls DEFAULT = new PatroniTls(Optional.empty());

    /** No exchange with Patroni goes this long without a byte either way. */
    static final int IDLE_SECONDS = 5;

    /** Reads the CA file now: a bad file stops startup instead of failing every probe. */
    public static PatroniTls from(Optional<Path> caFile) {
        return new PatroniTls(caFile.map(PemTrust::trusting));
    }

    /**
     * HTTP/1.1 without keep-alive (Patroni's REST server closes after each answer anyway, and a fresh connection
     * per probe is what tells a hung Patroni from a slow one). With a CA: TLS 1.2 and host-name checks. TLS 1.2
     * because Patroni 3.0.2's REST server answers HTTP/1.0 without Content-Length and, when closing, blocks in
     * unwrap() until the client's close_notify; the JDK's own HTTP client under TLS 1.3 took Patroni's
     * close_notify as a half-close and waited for EOF, so every probe timed out (local TLS mode). TlsClusterIT
     * runs the agents against Patroni on https with these settings.
     */
    HttpClientOptions options(Duration connectTimeout) {
        // The TCP connect is bounded by the shortest exchange (the health probe's): a request's own bound only
        // cancels the wait for a connection, and a connect left running behind it (Vert.x's default is 60 s) lands
        // once a frozen Patroni drains its listen queue, with nothing ever sent on it. Patroni 4's REST API reads
        // each connection's request line with no timeout in a pool of five workers, so five of those stopped it
        // for good. An idle connection is closed after a few seconds, whatever left it there.
        HttpClientOptions o = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_1_1).setKeepAlive(false)
                .setTcpNoDelay(true).setMaxPoolSize(8).setName("patroni")
                .setConnectTimeout((int) Math.max(1, connectTimeout.toMillis()))
                .setIdleTimeout(IDLE_SECONDS).setIdleTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS);
        trust.ifPresent(t -> o.setTrustOptions(TrustOptions.wrap(t)).setVerifyHost(true)
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.2")));
        return o;
    }
}
