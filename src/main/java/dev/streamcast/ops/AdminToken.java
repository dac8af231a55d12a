package dev.streamcast.ops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The admin token (http.admin.token), kept only as its SHA-256 digest. Comparing digests of equal length with
 * {@link MessageDigest#isEqual} takes the same time wherever the first wrong character is, and hashing first
 * hides the token's length too.
 */
final class AdminToken {

    private final byte[] digest;

    private AdminToken(byte[] digest) {
        this.digest = digest;
    }

    /** The token, or null when {@code token} is empty: no admin token configured. */
    static AdminToken of(String token) {
        return token == null || token.isEmpty() ? null : new AdminToken(sha256(token));
    }

    /** Whether {@code presented} is the token; false for null. */
    boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    /** Never the token. */
    @Override
    public String toString() {
        return "AdminToken[hidden]";
    }
}
