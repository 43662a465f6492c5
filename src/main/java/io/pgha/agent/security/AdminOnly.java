package io.pgha.agent.security;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a JAX-RS resource method (or class) that changes something: {@link AdminTokenFilter} then requires
 * {@code Authorization: Bearer <pgha.admin.token>} before the method runs. Put it on every POST, PUT, PATCH
 * and DELETE endpoint.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface AdminOnly {
}
