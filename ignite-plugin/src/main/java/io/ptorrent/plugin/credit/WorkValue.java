package io.ptorrent.plugin.credit;

import java.util.Arrays;

/**
 * What one task's fragments are worth, in milli-PU-seconds: the harbor's pricing rule.
 *
 * <h2>Design note: what work is worth</h2>
 * A contributor earns for an accepted fragment
 * <pre>  value = harbor-observed run time × the node's PU per core × cores used (1 per fragment today)</pre>
 * capped by
 * <ol>
 *   <li>the task's per-fragment escrow ({@link #escrowPerFragment}), which is the most a fragment can be
 *       worth: its wall-clock limit × the best PU per core among the harbor's contributors when the task
 *       was accepted (capped at {@link #MAX_PU_PER_CORE}); and</li>
 *   <li>once {@link #MIN_SAMPLES} fragments of this task were accepted, {@link #P95_FACTOR} × the 95th
 *       percentile of the values accepted last ({@link #WINDOW} of them): BOINC's answer to a slow or lying
 *       node, which can stretch its run time or claim a higher PU per core, but cannot make one fragment
 *       worth much more than the task's other fragments.</li>
 * </ol>
 * Why these inputs: credit is computed on the harbor from what the harbor observed (dispatch to accepted
 * result, {@code FragmentScheduler}'s clock), never from numbers the node reports about its run (a
 * {@code FragmentOutcome} carries no timing that counts). The PU per core is the harbor's measurement too
 * ({@code scheduler.NodeSpeeds}: benchmark fragments timed by the harbor), never the node's own benchmark
 * result, which is only its claim; the caps bound what a slow node can stretch. Capped values enter the
 * window: a liar moves the percentile only once more than 5% of the window is its own, and then by
 * {@code P95_FACTOR} at a time.
 *
 * <p>Why a fragment in flight reserves the worst case, not an average: a fragment is killed at its limit, so
 * {@code escrowPerFragment} bounds what it can cost, and reserving it before the fragment goes out means the hold
 * never runs short of a payment (no task fails half-paid). The hold covers a window of such fragments, not the
 * whole task ({@link EscrowWindow}); the fragment limit ({@code PtorrentClientOptions.fragmentTimeout}, else the
 * harbor's {@code fragmentTimeoutMs}) sets the size of one; what is not spent is refunded when the task ends.
 *
 * <p>Thread-safe (synchronized): the scheduler prices a task's fragments from several threads.
 */
final class WorkValue {
    /** Cores one fragment uses; a fragment is one job on one core today. */
    static final int CORES_PER_FRAGMENT = 1;
    /** No honest household core is 16 reference cores: a higher figure is not believed. */
    static final double MAX_PU_PER_CORE = 16.0;
    /** Accepted fragments of a task before the percentile cap applies. */
    static final int MIN_SAMPLES = 20;
    static final double P95_FACTOR = 1.1;
    /** The percentile is taken over the values accepted last, so that pricing one fragment stays cheap. */
    static final int WINDOW = 256;

    private final long escrowPerFragment;
    private final long[] recent = new long[WINDOW];
    private int accepted;

    WorkValue(long escrowPerFragment) {
        if (escrowPerFragment <= 0) {
            throw new IllegalArgumentException("escrowPerFragment must be positive: " + escrowPerFragment);
        }
        this.escrowPerFragment = escrowPerFragment;
    }

    /**
     * The most one fragment can be worth: {@code limitMs} × the best PU per core (capped at
     * {@link #MAX_PU_PER_CORE}) × {@link #CORES_PER_FRAGMENT}; at least 1.
     */
    static long escrowPerFragment(long limitMs, double bestPuPerCore) {
        double pu = Double.isFinite(bestPuPerCore) ? Math.min(Math.max(bestPuPerCore, 0), MAX_PU_PER_CORE) : 0;
        // ms × PU = milli-PU-seconds.
        return Math.max(1, (long) Math.ceil(limitMs * pu * CORES_PER_FRAGMENT));
    }

    long escrowPerFragment() {
        return escrowPerFragment;
    }

    /**
     * Prices an accepted fragment and remembers the price for the percentile cap.
     *
     * @param harborMillis the run time the harbor observed
     * @param puPerCore    the contributor's PU per core as the harbor measured it (0 or less when not measured: then it earns nothing)
     * @return milli-PU-seconds, 0 ≤ value ≤ {@link #escrowPerFragment()}
     */
    synchronized long price(long harborMillis, double puPerCore) {
        double pu = Double.isFinite(puPerCore) ? Math.min(Math.max(puPerCore, 0), MAX_PU_PER_CORE) : 0;
        double raw = Math.max(0, harborMillis) * pu * CORES_PER_FRAGMENT;
        long value = (long) Math.min(raw, escrowPerFragment);
        if (accepted >= MIN_SAMPLES) {
            value = Math.min(value, (long) Math.ceil(P95_FACTOR * p95()));
        }
        recent[accepted % WINDOW] = value;
        accepted++;
        return value;
    }

    /** The 95th percentile (nearest rank) of the values in the window. */
    private long p95() {
        int n = Math.min(accepted, WINDOW);
        long[] sorted = Arrays.copyOf(recent, n);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(0.95 * n);
        return sorted[Math.max(0, rank - 1)];
    }
}
