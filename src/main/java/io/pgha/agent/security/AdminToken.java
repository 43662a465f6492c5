package io.pgha.agent.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The configured admin token, kept only as its SHA-256 digest. Comparing digests of equal length with
 * {@link MessageDigest#isEqual} (constant time) means a wrong guess takes the same time whatever its content
 * or length. {@link #toString()} never shows the token.
 */
public final class AdminToken {

    private final byte[] digest;

    private AdminToken(byte[] digest) {
        this.digest = digest;
    }

    /** The token from config or file; surrounding whitespace (a trailing newline in a file) is not part of it. */
    public static AdminToken of(String token) {
        return new AdminToken(sha256(token.strip()));
    }

    /** True when the presented token is this one; constant time in the presented value. */
    public boolean matches(String presented) {
        return MessageDigest.isEqual(digest, sha256(presented));
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "AdminToken[****]";
    }
}
