package io.pgha.agent.backup;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an endpoint that changes something (starts a backup, runs a drill): {@link AdminTokenFilter} lets the
 * request through only with {@code Authorization: Bearer <admin token>}.
 *
 * <p>Stand-in for the project-wide admin-token filter being built in parallel: when it lands, change the one
 * import in {@link BackupResource} to its annotation and delete this file and {@link AdminTokenFilter}.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface AdminOnly {
}
