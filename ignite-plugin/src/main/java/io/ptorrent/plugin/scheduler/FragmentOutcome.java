package io.ptorrent.plugin.scheduler;

import java.io.Serializable;

/**
 * What a contributor sends back for one fragment of a batch ({@link BatchOutcome}): the result bytes or an error
 * code and message, whether the node holds the fragment's bundle now, and how long the node says the fragment
 * ran ({@link #nodeMillis}). Plain data on purpose: the harbor reads it from an untrusted node, so it carries no
 * exception objects.
 */
public final class FragmentOutcome implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * The error code of a fragment named its bundle by hash only, on a node that holds no verdict on that hash
     * (never sent there, or evicted from its bundle cache). Not an {@code ErrorCode}: it never reaches a user; the
     * harbor sends the fragment again with the bundle's bytes.
     */
    public static final String BUNDLE_MISSING = "BUNDLE_MISSING";

    /**
     * The error code of a piece of a batch that the node never started: the batch was cancelled or handed back
     * first, the node is stopping, the owner's rules changed mid-batch, or an earlier piece found the node's
     * sandbox broken. Not an {@code ErrorCode}: it never reaches a user; the harbor queues the fragment again at
     * once without using up an attempt.
     */
    public static final String NOT_RUN = "NOT_RUN";

    private final byte[] value;
    private final String errorCode;
    private final String errorMessage;
    /** The node holds the bundle's verdict in its cache: the harbor may name it by hash from now on (a hint, never trusted further). */
    private final boolean bundleHeld;
    /** The node's own run time of the fragment: a claim, used only to split time the harbor observed itself. */
    private final long nodeMillis;

    private FragmentOutcome(byte[] value, String errorCode, String errorMessage, boolean bundleHeld, long nodeMillis) {
        this.value = value;
        this.errorCode = errorCode;
        this.errorMessage = errorMessage;
        this.bundleHeld = bundleHeld;
        this.nodeMillis = nodeMillis;
    }

    public static FragmentOutcome ok(byte[] value) {
        return new FragmentOutcome(value, null, null, false, 0);
    }

    public static FragmentOutcome failed(String code, String message) {
        return new FragmentOutcome(null, code, message, false, 0);
    }

    /** A piece of a batch that the node never started ({@link #NOT_RUN}). */
    static FragmentOutcome notRun(String why) {
        return failed(NOT_RUN, why);
    }

    /** The node holds no verdict on the bundle the fragment named by hash only. */
    static FragmentOutcome bundleMissing(String sha256) {
        return failed(BUNDLE_MISSING, "this node holds no bundle " + sha256 + "; send its bytes");
    }

    /** This outcome, saying whether the node holds the fragment's bundle now. */
    FragmentOutcome withBundleHeld(boolean held) {
        return new FragmentOutcome(value, errorCode, errorMessage, held, nodeMillis);
    }

    /** This outcome, with the node's own run time of the fragment. */
    FragmentOutcome withNodeMillis(long millis) {
        return new FragmentOutcome(value, errorCode, errorMessage, bundleHeld, Math.max(0, millis));
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

    /**
     * How long the node says it ran the fragment, in milliseconds (0 for a piece that did not run). A claim of an
     * untrusted node: the harbor uses it only to split time it observed itself among a batch's fragments.
     */
    public long nodeMillis() {
        return nodeMillis;
    }

    boolean isBundleMissing() {
        return BUNDLE_MISSING.equals(errorCode);
    }

    /** The node never started this piece of its batch: queue it again, no attempt used. */
    boolean isNotRun() {
        return NOT_RUN.equals(errorCode);
    }
}
