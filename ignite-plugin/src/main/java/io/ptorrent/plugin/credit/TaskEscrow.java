package io.ptorrent.plugin.credit;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;

import java.util.function.IntSupplier;

/**
 * One running task's escrow as the harbor keeps count of it: what its hold holds ({@code held}, the ledger's
 * {@code Hold.amount}), what its accepted fragments were priced at ({@code committed}, paid or queued for
 * payment), and how many of its fragments are out with the most each can cost reserved. No Ignite in here: the
 * decisions only ({@link EscrowWindow} says how far ahead); {@link HarborCredit} does the ledger calls.
 *
 * <p><b>Invariant</b>: {@code committed + reserved × perFragment ≤ held}, and {@code held} grows only after a
 * top-up committed, so the ledger's hold always covers every payment the task can still owe.
 *
 * <p><b>Threads</b>: synchronized; the scheduler calls {@link #reserve}, {@link #release} and {@link #accepted}
 * under its lock, the credit worker {@link #toppedUp} and {@link #refused}. Calls nothing outside itself.
 */
final class TaskEscrow {
    /** A top-up to ask the ledger for: idempotent by {@code round}; {@code atLeast} lets one more fragment go. */
    record TopUp(int round, long wanted, long atLeast) {
    }

    final String taskId;
    final String account;
    final WorkValue value;
    /** Credits per PU-second, fixed when the task was accepted. */
    final double price;
    /** The most one fragment can cost at that price, milli-credits. */
    final long perFragment;
    private long held;
    private long committed;
    private int reserved;
    private int fragmentsLeft;
    private int sharedCores;
    private int rounds;
    /** The most fragments the scheduler wanted out at once (reserved plus one refused): the pipeline's demand. */
    private int wantedOut;
    private boolean topUpPending;
    /** A top-up was refused for lack of credit while a fragment of the task waited for room. */
    private volatile boolean starved;

    TaskEscrow(String taskId, String account, WorkValue value, double price, long perFragment, int fragments, long held, int sharedCores) {
        this.taskId = taskId;
        this.account = account;
        this.value = value;
        this.price = price;
        this.perFragment = perFragment;
        this.fragmentsLeft = fragments;
        this.held = held;
        this.sharedCores = sharedCores;
    }

    /** What the hold should be at acceptance: the window's worth, or all the balance if less (then at least one fragment). */
    static long firstHold(long perFragment, int fragments, int sharedCores, long balance) {
        return Math.min(Math.multiplyExact(perFragment, (long) EscrowWindow.window(fragments, sharedCores)), balance);
    }

    /** Reserves room for one more fragment in flight if the hold has it. */
    synchronized boolean reserve() {
        if (available() < perFragment) {
            wantedOut = Math.max(wantedOut, reserved + 1);
            return false;
        }
        reserved++;
        starved = false;
        return true;
    }

    /** A reserved fragment ended without a result to pay (failed, sent back, cancelled). */
    synchronized void release() {
        if (reserved > 0) {
            reserved--;
        }
    }

    /** What the task's accepted fragments cost, milli-credits: what its account pays once their settlements commit. */
    synchronized long committed() {
        return committed;
    }

        /** A reserved fragment's result was accepted and priced at {@code amount} (0: nobody is paid). */
    synchronized void accepted(long amount) {
        release();
        committed += amount;
        fragmentsLeft = Math.max(0, fragmentsLeft - 1);
    }

    /**
     * The top-up to ask for now, or null: when the unspent hold is below {@link EscrowWindow#lowWater} or a fragment
     * waits for room, and no top-up is out already.
     *
     * @param sharedCoresNow the harbor's shared cores now (what can run at once), asked only when a top-up is due
     */
    synchronized TopUp plan(IntSupplier sharedCoresNow) {
        if (topUpPending || fragmentsLeft == 0) {
            return null;
        }
        long unspent = held - committed;
        if (!waiting() && unspent >= perFragment * EscrowWindow.lowWater(fragmentsLeft, sharedCores, wantedOut)) {
            return null;
        }
        sharedCores = sharedCoresNow.getAsInt();
        long forOneMore = perFragment - available();
        long wanted = Math.max(perFragment * EscrowWindow.window(fragmentsLeft, sharedCores, wantedOut) - unspent, forOneMore);
        if (wanted <= 0) {
            return null;
        }
        topUpPending = true;
        rounds++;
        return new TopUp(rounds, wanted, Math.max(1, Math.min(wanted, forOneMore)));
    }

    /** A top-up committed; {@code heldNow} is the hold's amount after it. */
    synchronized void toppedUp(long heldNow) {
        held = Math.max(held, heldNow);
        topUpPending = false;
        starved = false;
    }

    /** A top-up was refused for lack of credit (or failed): the task waits if a fragment of it does. */
    synchronized void refused() {
        topUpPending = false;
        starved = waiting();
    }

    /** Whether the task waits for credit: a refused top-up, and a fragment that has no room. */
    boolean starved() {
        return starved;
    }

    /** Why the task is paused for credit, or null when it is not: waiting for credit with nothing of it running. */
    synchronized PtorrentException pausedReason() {
        if (!starved || reserved > 0) {
            return null;
        }
        return new PtorrentException(ErrorCode.INSUFFICIENT_CREDIT, "task " + taskId + " is paused: account " + account
                + " has too little credit for its next fragment (up to " + HarborCredit.credits(perFragment) + " credits each; "
                + HarborCredit.credits(held - committed) + " credits are held for it). It resumes by itself when credit arrives:"
                + " an operator's grant (bin/ptorrent account grant " + account + " --credits N --key KEY) or what the account's"
                + " nodes earn; or cancel it (PtorrentClient.cancel, gateway task ptorrent.task.cancel) to get back what is held and unspent");
    }

    /** The unspent hold, milli-credits, for tests and logs. */
    synchronized long unspent() {
        return held - committed;
    }

    private long available() {
        return held - committed - (long) reserved * perFragment;
    }

    /** A fragment not yet paid has no room to go out. */
    private boolean waiting() {
        return fragmentsLeft > reserved && available() < perFragment;
    }
}
