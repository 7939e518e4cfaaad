package io.ptorrent.plugin.scheduler;

import io.ptorrent.client.PtorrentException;
import org.apache.ignite.cluster.ClusterNode;

import java.util.concurrent.CompletableFuture;

/**
 * What the scheduler tells the harbor's credit accounting about a task's life: accepted, each fragment reserved
 * before it is sent and then accepted or released, ended. The scheduler calls these in that order for one task,
 * and never again for it after {@link #onTaskEnded}. The implementation lives in {@code io.ptorrent.plugin.credit}; {@link #FREE} keeps
 * no accounts (a harbor without a ledger).
 */
public interface TaskAccounting {
    /**
     * A task is about to be queued. Called on the submitting thread, outside the scheduler's lock; may block
     * (a ledger transaction).
     *
     * @param fragmentLimitMs the wall-clock limit of one fragment, after the harbor's cap
     * @throws PtorrentException to refuse the task before anything runs ({@code UNKNOWN_ACCOUNT},
     *                           {@code INSUFFICIENT_CREDIT}); then nothing was held
     */
    void onAccepted(String taskId, String account, int fragments, long fragmentLimitMs);

    /**
     * Whether the task's escrow has room for one more of its fragments in flight; if so the room is reserved until
     * {@link #onFragmentAccepted} or {@link #onFragmentReleased}. A false answer keeps the fragment queued (the
     * accounting tops up the escrow and calls the {@link #onEscrowGrown} listener when there is room). Called under
     * the scheduler's lock: must not block. True for a task it does not know.
     */
    default boolean reserveFragment(String taskId) {
        return true;
    }

    /** A fragment {@link #reserveFragment reserved} ended without an accepted result (failed, sent back, dropped). Under the scheduler's lock. */
    default void onFragmentReleased(String taskId) {
    }

    /**
     * Why the task waits for credit ({@code INSUFFICIENT_CREDIT}, with what to do), or null when it does not: then
     * its state is {@code PAUSED_NO_CREDIT}. Called under the scheduler's lock: must not block.
     */
    default PtorrentException pausedForCredit(String taskId) {
        return null;
    }

    /** Sets whom to tell (from the accounting's own thread) that a task's escrow grew and its fragments may go out. */
    default void onEscrowGrown(Runnable listener) {
    }

    /**
     * A fragment's result was accepted (it had been reserved). Called under the scheduler's lock: must not block.
     *
     * @param node         the contributor that produced it (null if it has left the topology since)
     * @param harborMillis the fragment's run time as the harbor observed it (dispatch to result)
     */
    void onFragmentAccepted(String taskId, int fragment, ClusterNode node, long harborMillis);

    /**
     * The task ended: done, failed or cancelled. Must not block; a task that was never accepted is ignored.
     *
     * @return completes with what the task cost its account, milli-PU-seconds (0 when unknown); never exceptionally.
     *         It waits for the task's payments (a result must not outlive unpaid work if the harbor dies) but need
     *         not wait for the refund: the harbor's reads of the ledger wait for that
     */
    CompletableFuture<Long> onTaskEnded(String taskId);

    /** No accounts: every task is free. */
    TaskAccounting FREE = new TaskAccounting() {
        @Override
        public void onAccepted(String taskId, String account, int fragments, long fragmentLimitMs) {
        }

        @Override
        public void onFragmentAccepted(String taskId, int fragment, ClusterNode node, long harborMillis) {
        }

        @Override
        public CompletableFuture<Long> onTaskEnded(String taskId) {
            return CompletableFuture.completedFuture(0L);
        }
    };
}
