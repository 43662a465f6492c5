package io.pgha.agent.config;

import static io.pgha.agent.setting.Setting.bad;

import io.pgha.agent.security.PemTrust;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * TLS settings that would otherwise fail later, once per second, as handshake errors: files that cannot be
 * read or parsed, half a client certificate, a CA given for a plain-http URL (the operator meant TLS and
 * would silently not get it), a verify mode without the CA to verify against.
 */
final class TlsCheck {

    private TlsCheck() {
    }

    static List<String> problems(AgentConfig c) {
        List<String> p = new ArrayList<>();
        AgentConfig.Etcd e = c.etcd();
        long https = e.endpoints().stream().filter(s -> s.trim().startsWith("https://")).count();
        if (https > 0 && https < e.endpoints().size()) {
            p.add(bad("pgha.etcd.endpoints", "mixes http and https endpoints; use https for all or none"));
        }
        if (https == 0) {
            for (var f : List.of(entry("pgha.etcd.ca-file", e.caFile()), entry("pgha.etcd.cert-file", e.certFile()),
                    entry("pgha.etcd.key-file", e.keyFile()))) {
                if (f.value().isPresent()) {
                    p.add(bad(f.name(), "is set but pgha.etcd.endpoints are http: use https:// endpoints for TLS"));
                }
            }
        }
        caFile(p, "pgha.etcd.ca-file", e.caFile());
        if (e.certFile().isPresent() != e.keyFile().isPresent()) {
            p.add(bad(e.certFile().isPresent() ? "pgha.etcd.key-file" : "pgha.etcd.cert-file",
                    "is needed too: a client certificate needs both pgha.etcd.cert-file and pgha.etcd.key-file"));
        }
        caFile(p, "pgha.etcd.cert-file", e.certFile());
        e.keyFile().ifPresent(k -> {
            if (!Files.isReadable(k)) {
                p.add(bad("pgha.etcd.key-file", "cannot read " + k));
            } else if (!firstLine(k).contains("BEGIN PRIVATE KEY")) {
                p.add(bad("pgha.etcd.key-file", k + " is not an unencrypted PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----); "
                        + "convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8"));
            }
        });
        if (e.user().isPresent() != (e.password().isPresent() || e.passwordFile().isPresent())) {
            p.add(bad(e.user().isPresent() ? "pgha.etcd.password" : "pgha.etcd.user",
                    "is needed too: etcd authentication needs pgha.etcd.user and pgha.etcd.password(-file)"));
        }
        e.passwordFile().ifPresent(f -> {
            if (!Files.isReadable(f)) {
                p.add(bad("pgha.etcd.password-file", "cannot read " + f));
            }
        });
        AgentConfig.Patroni pat = c.patroni();
        if (pat.caFile().isPresent() && !pat.url().trim().startsWith("https://")) {
            p.add(bad("pgha.patroni.ca-file", "is set but pgha.patroni.url is not https: " + pat.url()));
        }
        caFile(p, "pgha.patroni.ca-file", pat.caFile());
        postgres(p, c.postgres().url());
        return p;
    }

    /** verify-ca/verify-full need the CA; pgjdbc would otherwise look in ~/.postgresql and fail per probe. */
    private static void postgres(List<String> p, String url) {
        String query;
        try {
            query = URI.create(url.substring("jdbc:".length())).getRawQuery();
        } catch (IllegalArgumentException | IndexOutOfBoundsException x) {
            return; // ConfigCheck reports the URL itself
        }
        if (query == null) {
            return;
        }
        String mode = null;
        Optional<Path> root = Optional.empty();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (k.equals("sslmode")) {
                mode = v;
            } else if (k.equals("sslrootcert")) {
                root = Optional.of(Path.of(v));
            }
        }
        if (mode != null && List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full").indexOf(mode) < 0) {
            p.add(bad("pgha.postgres.url", "sslmode must be disable, allow, prefer, require, verify-ca or verify-full, got '"
                    + mode + "'"));
        }
        if (mode != null && mode.startsWith("verify-") && root.isEmpty()) {
            p.add(bad("pgha.postgres.url", "sslmode=" + mode + " needs sslrootcert=<CA file> in the URL"));
        }
        caFile(p, "pgha.postgres.url sslrootcert", root);
    }

    private static void caFile(List<String> p, String name, Optional<Path> file) {
        file.ifPresent(f -> {
            try {
                PemTrust.certificates(f);
            } catch (IllegalArgumentException x) {
                p.add(name + " [" + io.pgha.agent.setting.Setting.envName(name.split(" ")[0]) + "] " + x.getMessage());
            }
        });
    }

    private static String firstLine(Path f) {
        try (var lines = Files.lines(f)) {
            return lines.filter(l -> l.startsWith("-----BEGIN")).findFirst().orElse("");
        } catch (Exception x) {
            return "";
        }
    }

    private record Named(String name, Optional<Path> value) { }

    private static Named entry(String name, Optional<Path> value) {
        return new Named(name, value);
    }
}
