package io.ptorrent.client.bundle;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.wire.WireBundle;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * A closure's code: class files by binary name, content-addressed by a SHA-256 over the sorted
 * (name, bytes) pairs. Two bundles with the same classes have the same hash wherever they are built.
 */
public record Bundle(String sha256, Map<String, byte[]> classes) {
    /** Above this the grid refuses a bundle ({@link ErrorCode#BUNDLE_TOO_LARGE}). */
    public static final int MAX_BYTES = 4 * 1024 * 1024;

    public Bundle {
        classes = Map.copyOf(classes);
    }

    /** A bundle of these classes with its hash computed. */
    public static Bundle of(Map<String, byte[]> classes) {
        return new Bundle(hash(classes), classes);
    }

    /**
     * Checks a bundle that came from someone else: its size, its names and its hash.
     *
     * @throws PtorrentException {@link ErrorCode#BUNDLE_INVALID} or {@link ErrorCode#BUNDLE_TOO_LARGE}
     */
    public static Bundle verified(WireBundle wire) {
        if (wire.classes().isEmpty()) {
            throw new PtorrentException(ErrorCode.BUNDLE_INVALID, "the bundle holds no classes");
        }
        long size = 0;
        for (Map.Entry<String, byte[]> e : wire.classes().entrySet()) {
            if (!isBinaryClassName(e.getKey())) {
                throw new PtorrentException(ErrorCode.BUNDLE_INVALID, "'" + e.getKey() + "' is not a class name");
            }
            size += e.getValue().length;
        }
        if (size > MAX_BYTES) {
            throw new PtorrentException(ErrorCode.BUNDLE_TOO_LARGE, "the bundle has " + size + " bytes of classes; the limit is " + MAX_BYTES);
        }
        String actual = hash(wire.classes());
        if (!actual.equals(wire.sha256())) {
            throw new PtorrentException(ErrorCode.BUNDLE_INVALID, "the bundle's SHA-256 is " + actual + ", not the " + wire.sha256() + " it claims");
        }
        return new Bundle(actual, wire.classes());
    }

    public WireBundle toWire() {
        return new WireBundle(sha256, classes);
    }

    static String hash(Map<String, byte[]> classes) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> e : new TreeMap<>(classes).entrySet()) {
                byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
                // Lengths first, so that ("ab","c") and ("a","bc") cannot collide.
                updateInt(sha, name.length);
                sha.update(name);
                updateInt(sha, e.getValue().length);
                sha.update(e.getValue());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java 17 runtime has SHA-256", e);
        }
    }

    private static void updateInt(MessageDigest sha, int v) {
        sha.update(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }

    private static boolean isBinaryClassName(String name) {
        if (name.isEmpty() || name.length() > 512) {
            return false;
        }
        for (String part : name.split("\\.", -1)) {
            if (part.isEmpty() || !Character.isJavaIdentifierStart(part.charAt(0))) {
                return false;
            }
            for (int i = 1; i < part.length(); i++) {
                if (!Character.isJavaIdentifierPart(part.charAt(i))) {
                    return false;
                }
            }
        }
        return true;
    }
}
