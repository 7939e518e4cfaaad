package io.ptorrent.plugin.scheduler;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a contributor sends back for one batch ({@link FragmentJob#batch}): exactly one {@link FragmentOutcome}
 * per piece, in piece order, and whether the node holds the batch's bundle now. Plain data, read by the harbor
 * from an untrusted node: the harbor checks that the count matches what it sent before it believes any of it.
 */
public final class BatchOutcome implements Serializable {
    private static final long serialVersionUID = 1L;

    /** An ArrayList, not List.of: it crosses the wire, and every node's marshaller knows it. */
    private final ArrayList<FragmentOutcome> outcomes;
    private final boolean bundleHeld;

    BatchOutcome(List<FragmentOutcome> outcomes, boolean bundleHeld) {
        this.outcomes = new ArrayList<>(outcomes);
        this.bundleHeld = bundleHeld;
    }

    /** One outcome per piece of the batch, in the order the pieces were sent. */
    public List<FragmentOutcome> outcomes() {
        return Collections.unmodifiableList(outcomes);
    }

    /** Whether the node said it holds the batch's bundle now (a hint, as {@link FragmentOutcome#bundleHeld}). */
    public boolean bundleHeld() {
        return bundleHeld;
    }
}
