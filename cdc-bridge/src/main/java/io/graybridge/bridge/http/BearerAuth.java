package io.graybridge.bridge.http;

import io.graybridge.bridge.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The optional bearer token of {@code /metrics} and {@code /gate/*}. Compares digests in constant time, so
 * neither the token's content nor its length shows in response times; never logs or returns the token.
 */
final class BearerAuth {
    private final byte[] expected;

    private BearerAuth(byte[] expected) {
        this.expected = expected;
    }

    /** Requires {@code token}; an empty secret requires nothing. */
    static BearerAuth of(Secret token) {
        return new BearerAuth(token.isEmpty() ? null : digest(token.reveal()));
    }

    boolean required() {
        return expected != null;
    }

    /** Whether a request with this {@code Authorization} header value (or {@code null}) may pass. */
    boolean allows(String authorization) {
        if (expected == null) {
            return true;
        }
        if (authorization == null || !authorization.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(expected, digest(authorization.substring("bearer ".length()).strip()));
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
