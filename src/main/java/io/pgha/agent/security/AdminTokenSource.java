package io.pgha.agent.security;

import io.pgha.agent.config.AgentConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The configured admin token: the file when {@code pgha.admin.token-file} is set (re-read when its mtime or
 * size changes, so a rotation needs no restart), else {@code pgha.admin.token}. A file that cannot be read
 * yields no token, which refuses admin requests: failing closed beats a stale token nobody can rotate away.
 *
 * <p>Application-scoped (a lazy proxy) so that nothing reads the configuration before runtime config exists;
 * it also hands {@link AdminGate} the configured {@link AdminAccessPolicy}.
 */
@ApplicationScoped
public class AdminTokenSource {

    private static final Logger LOG = Logger.getLogger(AdminTokenSource.class);

    private record FileState(FileTime modified, long size, Optional<AdminToken> token) { }

    private final Optional<Path> file;
    private final Optional<AdminToken> inline;
    private final AdminAccessPolicy policy;
    private final AtomicReference<FileState> read = new AtomicReference<>();

    @Inject
    public AdminTokenSource(AgentConfig config) {
        this(config.admin().tokenFile(), config.admin().token(), config.admin().requireTls());
    }

    AdminTokenSource(Optional<Path> file, Optional<String> inline, boolean requireTls) {
        this.file = file;
        this.inline = inline.filter(t -> !t.isBlank()).map(AdminToken::of);
        this.policy = new AdminAccessPolicy(requireTls);
    }

    /** The policy with this agent's settings; here because the filter is built before runtime config exists. */
    public AdminAccessPolicy policy() {
        return policy;
    }

    // After config validation (priority 1), which has already refused an unreadable or short token.
    void onStart(@Observes @Priority(5) StartupEvent event) {
        if (current().isEmpty()) {
            LOG.warn("admin endpoints are disabled: no pgha.admin.token-file [PGHA_ADMIN_TOKEN_FILE] or "
                    + "pgha.admin.token [PGHA_ADMIN_TOKEN] is set; every POST/DELETE answers 403");
        } else {
            LOG.infof("admin endpoints enabled with the token from %s",
                    file.map(f -> "file " + f).orElse("pgha.admin.token"));
        }
    }

    public Optional<AdminToken> current() {
        if (file.isEmpty()) {
            return inline;
        }
        Path f = file.get();
        try {
            BasicFileAttributes attrs = Files.readAttributes(f, BasicFileAttributes.class);
            FileState last = read.get();
            if (last != null && last.modified().equals(attrs.lastModifiedTime()) && last.size() == attrs.size()) {
                return last.token();
            }
            String text = Files.readString(f).strip();
            FileState now = new FileState(attrs.lastModifiedTime(), attrs.size(),
                    text.isEmpty() ? Optional.empty() : Optional.of(AdminToken.of(text)));
            if (last != null) {
                LOG.infof("admin token file %s changed; using its new content", f);
            }
            read.set(now);
            return now.token();
        } catch (IOException | RuntimeException e) {
            LOG.warnf("cannot read admin token file %s (%s); refusing admin requests until it is readable", f,
                    e.getClass().getSimpleName());
            read.set(null);
            return Optional.empty();
        }
    }
}
