package io.pgha.agent.patroni;

import io.pgha.agent.security.PemTrust;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * How the agent's HTTP clients reach Patroni's REST API: plain, or https trusting a given CA (Patroni's
 * restapi.certfile is usually signed by the cluster's own CA, which the JVM does not know). One place, so
 * the health probe, /cluster reads, reinitialize and the backup's leader lookup all trust the same thing.
 */
public record PatroniTls(Optional<SSLContext> context) {

    public static final PatroniTls DEFAULT = new PatroniTls(Optional.empty());

    /** Reads the CA file now: a bad file stops startup instead of failing every probe. */
    public static PatroniTls from(Optional<Path> caFile) {
        return new PatroniTls(caFile.map(PemTrust::trusting));
    }

    /**
     * TLS 1.2 for Patroni: its REST server answers in HTTP/1.0 without Content-Length and, when closing,
     * sends close_notify and blocks in unwrap() until the client's close_notify. Under TLS 1.3 the JDK's
     * HttpClient takes that close_notify as a half-close and keeps waiting for EOF, so both sides wait until
     * the probe times out (seen against Patroni 3.0.2 in the local TLS mode: every probe timed out; with TLS
     * 1.2 they answer, which TlsClusterIT shows through the agents' verdicts).
     */
    public HttpClient client(Duration connectTimeout) {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1);
        context.ifPresent(ctx -> {
            SSLParameters params = ctx.getDefaultSSLParameters();
            params.setProtocols(new String[] {"TLSv1.2"});
            params.setEndpointIdentificationAlgorithm("HTTPS");
            b.sslContext(ctx).sslParameters(params);
        });
        return b.build();
    }
}
