package io.pgha.agent.etcd;

import io.pgha.agent.config.AgentConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How to reach etcd: endpoints, and when they are https, the CA to trust, the client certificate for
 * etcd's --client-cert-auth and the authority to check; optionally etcd user and password. Values only; the
 * client is built by {@link EtcdClientHolder}.
 */
public record EtcdAccess(List<String> endpoints, Duration connectTimeout, Optional<Path> caFile,
        Optional<Path> certFile, Optional<Path> keyFile, Optional<String> authority, Optional<String> user,
        Optional<String> password) {

    public static EtcdAccess plain(List<String> endpoints, Duration connectTimeout) {
        return new EtcdAccess(endpoints, connectTimeout, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The password file is read once here: jetcd authenticates once per connection with what it was given. */
    public static EtcdAccess from(AgentConfig.Etcd e, Duration connectTimeout) {
        Optional<String> password = e.password();
        if (e.passwordFile().isPresent()) {
            try {
                password = Optional.of(Files.readString(e.passwordFile().get(), StandardCharsets.UTF_8).strip());
            } catch (IOException x) {
                throw new IllegalStateException("pgha.etcd.password-file [PGHA_ETCD_PASSWORD_FILE] cannot be read: "
                        + e.passwordFile().get(), x);
            }
        }
        return new EtcdAccess(e.endpoints(), connectTimeout, e.caFile(), e.certFile(), e.keyFile(), e.authority(),
                e.user(), password);
    }

    public boolean tls() {
        return endpoints.stream().anyMatch(s -> s.trim().startsWith("https://"));
    }

    /** Never the password. */
    @Override
    public String toString() {
        return "EtcdAccess[endpoints=" + endpoints + ", tls=" + tls() + ", clientCert=" + certFile.isPresent()
                + ", user=" + user.orElse("-") + "]";
    }
}
