package io.ptorrent.plugin.credit;

/**
 * How far ahead a task's escrow holds: the harbor's pay-as-you-go policy, in this one place.
 *
 * <h2>Design note</h2>
 * A fragment may be sent (or, once pipelining exists, queued on a node) only while the task's hold has room for
 * the most that fragment can cost ({@code perFragment}: its limit × the best PU per core × the task's price), so
 * that no fragment that runs is ever left unpaid and no task fails half-paid. The hold itself covers a
 * <em>window</em> of fragments rather than the whole task: the harbor's shared cores (what can run at once) plus
 * a margin of {@link #MARGIN} of them (at least one), never more than the fragments not yet paid. As fragments
 * are paid the unspent part of the hold shrinks; when it no longer covers a fragment for every shared core
 * ({@link #lowWater}) the harbor tops it up to the window again. A task of cheap fragments therefore holds a
 * few worst cases and tops up rarely (one ledger transaction per many fragments); a task of costly ones tops up
 * about once per margin's worth of fragments.
 *
 * <p><b>The pipeline's demand.</b> The harbor's scheduler keeps batches queued on the nodes as well as running
 * (issue 10): it asks for room for as many fragments as its windows hold, which for short fragments is far more
 * than one per shared core. The window therefore also follows what the task asked for: when a reservation finds no
 * room, the fragments it wanted out at once ({@code wantedOut}: those reserved plus the one refused) count, with the
 * margin, so a task of short fragments grows its window geometrically up to what its pipeline holds, while a top-up
 * still takes only what the account can give (the ledger's {@code atLeast}: one more fragment).
 *
 * <p>Why not configurable: the margin only trades top-up transactions against credit held ahead, and the held
 * part is refunded when the task ends; one figure serves. Why the window counts worst cases rather than the
 * average a fragment cost so far: a fragment that runs to its limit must still be paid in full.
 *
 * <p>A top-up the account's balance cannot cover (not even enough for one more fragment) leaves the task
 * waiting: {@code PAUSED_NO_CREDIT} once nothing of it runs. It is tried again every {@link #STARVED_RETRY_MS}
 * ms, and at once when this harbor pays the account, so credit that arrives (an operator's grant, or the
 * account's nodes' earnings) resumes it.
 */
final class EscrowWindow {
    /** Fragments held ahead beyond the shared cores, as a share of them (at least one fragment). */
    static final double MARGIN = 0.5;
    /** How often a task waiting for credit asks its account's balance again. */
    static final long STARVED_RETRY_MS = 1_000;

    private EscrowWindow() {
    }

    /** The fragments a hold should cover: the shared cores plus the margin, at most the fragments not yet paid. */
    static int window(int fragmentsLeft, int sharedCores) {
        return window(fragmentsLeft, sharedCores, 0);
    }

    /** As above, or the fragments the scheduler wanted out at once plus the margin, if more. */
    static int window(int fragmentsLeft, int sharedCores, int wantedOut) {
        int cores = Math.max(Math.max(1, sharedCores), wantedOut);
        int margin = Math.max(1, (int) Math.ceil(cores * MARGIN));
        return (int) Math.min(fragmentsLeft, (long) cores + margin);
    }

    /** Below this many fragments' worth of unspent hold, the hold is topped up to {@link #window}. */
    static int lowWater(int fragmentsLeft, int sharedCores) {
        return lowWater(fragmentsLeft, sharedCores, 0);
    }

    /** As above, with the scheduler's demand: topped up once half of what it wanted out is no longer covered. */
    static int lowWater(int fragmentsLeft, int sharedCores, int wantedOut) {
        return Math.min(fragmentsLeft, Math.max(Math.max(1, sharedCores), wantedOut / 2));
    }
}
