package io.pgha.agent.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;

/**
 * Trust built from a PEM CA bundle, the form every tool of this stack writes (etcd, Patroni, PostgreSQL,
 * openssl). Read once at startup: a bad file is a configuration error that must stop the agent with the
 * file's name, not a handshake failure every second later.
 */
public final class PemTrust {

    private PemTrust() {
    }

    /** The certificates in a PEM bundle; at least one, or an exception naming the file. */
    public static List<Certificate> certificates(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            List<Certificate> certs = new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
            if (certs.isEmpty()) {
                throw new IllegalArgumentException(pem + " holds no PEM certificate");
            }
            return certs;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + pem + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(pem + " is not a PEM certificate bundle: " + e.getMessage(), e);
        }
    }

    /** Trust managers that trust exactly the CAs in {@code pem} (host names are still checked by the client). */
    public static TrustManagerFactory trusting(Path pem) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : certificates(pem)) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return tmf;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot build a trust store from " + pem + ": " + e.getMessage(), e);
        }
    }
}
