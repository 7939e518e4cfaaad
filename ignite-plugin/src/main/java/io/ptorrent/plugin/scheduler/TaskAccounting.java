package io.ptorrent.plugin.scheduler;

import io.ptorrent.client.PtorrentException;
import org.apache.ignite.cluster.ClusterNode;

import java.util.concurrent.CompletableFuture;

/**
 * What the scheduler tells the harbor's credit accounting about a task's life: accepted, a fragment's result
 * accepted, ended. The scheduler calls these in that order for one task, and never again for it after
 * {@link #onTaskEnded}. The implementation lives in {@code io.ptorrent.plugin.credit}; {@link #FREE} keeps
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
     * A fragment's result was accepted. Called under the scheduler's lock: must not block.
     *
     * @param node         the contributor that produced it (null if it has left the topology since)
     * @param harborMillis the fragment's run time as the harbor observed it (dispatch to result)
     */
    void onFragmentAccepted(String taskId, int fragment, ClusterNode node, long harborMillis);

    /**
     * The task ended: done, failed or cancelled. Must not block; a task that was never accepted is ignored.
     *
     * @return completes with what the task cost its account, milli-PU-seconds (0 when unknown); never exceptionally
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
