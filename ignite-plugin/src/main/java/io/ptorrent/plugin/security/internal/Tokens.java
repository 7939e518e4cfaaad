package io.ptorrent.plugin.security.internal;

import io.ptorrent.plugin.security.CredentialKind;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The shape of ptorrent's secret tokens: {@code <prefix>.<id>.<secret>}, where the id (64 random bits, hex) names
 * the stored credential so that checking one is a key lookup, never a scan, and the secret is 256 random bits
 * (base64url). Stored is only the SHA-256 of the secret.
 *
 * <p>Why SHA-256 and not a slow hash: a slow hash (Argon2, bcrypt) exists to make guessing a low-entropy password
 * from its stolen hash expensive. A 256-bit random secret cannot be guessed whatever the hash costs, so a fast,
 * unsalted SHA-256 loses nothing, and it keeps every authentication cheap (a node join, a thin-client handshake).
 * Passwords, chosen by people, get Argon2id ({@link PasswordHashing}).
 */
public final class Tokens {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SECRET_BYTES = 32;

    private Tokens() {
    }

    /** A token split into its parts. */
    public record Parsed(CredentialKind kind, String id, String secret) {
    }

    /** A fresh credential id: 16 hex digits. */
    public static String newId() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** A fresh 256-bit secret, base64url without padding. */
    public static String newSecret() {
        byte[] b = new byte[SECRET_BYTES];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static String format(CredentialKind kind, String id, String secret) {
        return kind.prefix() + "." + id + "." + secret;
    }

    /** The parts of a token, or null when it does not have the shape of one (it may be a password). */
    public static Parsed parse(String token) {
        if (token == null) {
            return null;
        }
        String t = token.strip();
        String[] parts = t.split("\\.", -1);
        if (parts.length != 3 || !parts[1].matches("[0-9a-f]{16}") || !parts[2].matches("[A-Za-z0-9_-]{43}")) {
            return null;
        }
        for (CredentialKind k : CredentialKind.values()) {
            if (k.prefix().equals(parts[0])) {
                return new Parsed(k, parts[1], parts[2]);
            }
        }
        return null;
    }

    public static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public static String sha256Hex(String secret) {
        return HexFormat.of().formatHex(sha256(secret));
    }

    /** Whether {@code secret} hashes to {@code expectedHex}, compared in constant time. */
    public static boolean matches(String expectedHex, String secret) {
        byte[] expected;
        try {
            expected = HexFormat.of().parseHex(expectedHex);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, sha256(secret));
    }
}
