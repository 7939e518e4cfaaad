package io.ptorrent.client;

/**
 * A task's state and progress, as the harbor last reported it.
 *
 * @param taskId         the harbor's id of the task (null until the harbor has accepted it)
 * @param state          where the task is
 * @param fragmentsTotal the task's fragments
 * @param fragmentsDone  fragments whose result the harbor accepted
 * @param creditSpent    what the task cost, milli-PU-seconds (1,000 per credit); known once it has finished, 0 before
 *                       and on a harbor without a ledger
 * @param error          why it failed or was cancelled, or why it is {@link State#PAUSED_NO_CREDIT} and what to do
 *                       ({@code INSUFFICIENT_CREDIT}); null otherwise
 */
public record TaskStatus(String taskId, State state, int fragmentsTotal, int fragmentsDone, long creditSpent, PtorrentException error) {
    /** Where a task is. */
    public enum State {
        /** Sent, not yet accepted by the harbor (the client is uploading its bundle or starting it). */
        SUBMITTING,
        /** Accepted; no fragment has run yet. */
        QUEUED,
        /** Fragments are running or done. */
        RUNNING,
        /**
         * Waiting for credit: the account cannot pay for the task's next fragment and nothing of it runs. Nothing
         * failed and nothing is lost; it resumes by itself when credit arrives (an operator's grant, the account's
         * nodes' earnings), or cancel it to get back what is held and unspent. {@link TaskStatus#error} says so.
         */
        PAUSED_NO_CREDIT,
        SUCCEEDED,
        FAILED,
        CANCELLED;

        /** Whether the task has ended. */
        public boolean finished() {
            return this == SUCCEEDED || this == FAILED || this == CANCELLED;
        }
    }

    /** Done fragments as a fraction of all, 0..1. */
    public double fraction() {
        return fragmentsTotal == 0 ? 0 : (double) fragmentsDone / fragmentsTotal;
    }
}
