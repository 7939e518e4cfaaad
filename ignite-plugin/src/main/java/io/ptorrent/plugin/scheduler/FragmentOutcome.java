package io.ptorrent.plugin.scheduler;

import java.io.Serializable;

/**
 * What a contributor sends back for one fragment: the result bytes or an error code and message, and whether
 * the node holds the fragment's bundle now. Plain data on purpose: the harbor reads it from an untrusted node,
 * so it carries no exception objects.
 */
public final class FragmentOutcome implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * The error code of a fragment named its bundle by hash only, on a node that holds no verdict on that hash
     * (never sent there, or evicted from its bundle cache). Not an {@code ErrorCode}: it never reaches a user; the
     * harbor sends the fragment again with the bundle's bytes.
     */
    public static final String BUNDLE_MISSING = "BUNDLE_MISSING";

    private final byte[] value;
    private final String errorCode;
    private final String errorMessage;
    /** The node holds the bundle's verdict in its cache: the harbor may name it by hash from now on (a hint, never trusted further). */
    private final boolean bundleHeld;

    private FragmentOutcome(byte[] value, String errorCode, String errorMessage, boolean bundleHeld) {
        this.value = value;
        this.errorCode = errorCode;
        this.errorMessage = errorMessage;
        this.bundleHeld = bundleHeld;
    }

    public static FragmentOutcome ok(byte[] value) {
        return new FragmentOutcome(value, null, null, false);
    }

    public static FragmentOutcome failed(String code, String message) {
        return new FragmentOutcome(null, code, message, false);
    }

    /** The node holds no verdict on the bundle the fragment named by hash only. */
    static FragmentOutcome bundleMissing(String sha256) {
        return failed(BUNDLE_MISSING, "this node holds no bundle " + sha256 + "; send its bytes");
    }

    /** This outcome, saying whether the node holds the fragment's bundle now. */
    FragmentOutcome withBundleHeld(boolean held) {
        return new FragmentOutcome(value, errorCode, errorMessage, held);
    }

    public boolean isOk() {
        return errorCode == null;
    }

    public byte[] value() {
        return value;
    }

    public String errorCode() {
        return errorCode;
    }

    public String errorMessage() {
        return errorMessage;
    }

    /** Whether the node said it holds the fragment's bundle now. */
    public boolean bundleHeld() {
        return bundleHeld;
    }

    boolean isBundleMissing() {
        return BUNDLE_MISSING.equals(errorCode);
    }
}
