package io.ptorrent.plugin.admission;

/**
 * When the owner counts as active: as soon as the owner's load rises past the threshold, and until it has
 * stayed below it for the quiet period. Backing off is immediate (the owner must get the machine back at
 * once); resuming waits (an owner who paused for a second is still there).
 *
 * <p>A pure state machine over samples with their times: not thread-safe, the monitor drives it from one
 * thread.
 */
final class OwnerActivityPolicy {
    private final double threshold;
    private final long quietNanos;
    private boolean active;
    private long lastBusyNanos;

    /**
     * @param threshold  owner's fraction of the machine (0..1) above which the owner is active
     * @param quietNanos how long the owner's load must stay below the threshold before sharing resumes
     */
    OwnerActivityPolicy(double threshold, long quietNanos) {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in (0, 1], was " + threshold);
        }
        if (quietNanos < 0) {
            throw new IllegalArgumentException("quietNanos must not be negative, was " + quietNanos);
        }
        this.threshold = threshold;
        this.quietNanos = quietNanos;
    }

    /** Takes one sample of the owner's load at {@code nowNanos}; returns whether the owner is active now. */
    boolean onSample(long nowNanos, double ownerFraction) {
        if (ownerFraction > threshold) {
            active = true;
            lastBusyNanos = nowNanos;
        } else if (active && nowNanos - lastBusyNanos >= quietNanos) {
            active = false;
        }
        return active;
    }

    boolean active() {
        return active;
    }
}
