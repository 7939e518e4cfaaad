package io.ptorrent.plugin.scheduler;

import io.ptorrent.client.ErrorCode;

import java.util.Set;
import java.util.UUID;

/**
 * What becomes of a fragment after its node answered (or did not): the scheduler's failover, decided without Ignite.
 * Ignite's own failover is off for fragments ({@code withNoFailover}): this class decides where a failed fragment may
 * go next, and never onto a harbor.
 *
 * <ul>
 *   <li>{@link Action#ACCEPT}: an OK result.</li>
 *   <li>{@link Action#AGAIN_FREE}: queued again without using an attempt — the node never started it
 *       ({@link #NOT_RUN}: its batch was handed back, cancelled or the node is stopping), or it lacked a bundle it was
 *       named by hash ({@link FragmentOutcome#BUNDLE_MISSING} to a batch without the bytes).</li>
 *   <li>{@link Action#REFUSED}: the owner's share rules refuse the task's work: never that node again, no attempt.</li>
 *   <li>{@link Action#AGAIN}: the node is at fault (it left, timed out, its sandbox broke): again elsewhere, up to
 *       {@link #MAX_ATTEMPTS} attempts, then {@link Action#FAIL_TASK} with {@code RETRIES_EXHAUSTED}.</li>
 *   <li>{@link Action#FAIL_TASK}: the closure failed (its own exception, a limit it broke): the task fails.</li>
 * </ul>
 *
 * <p>Pure and stateless; the scheduler calls it under its lock.
 */
final class FailoverPolicy {
    static final int MAX_ATTEMPTS = 5;
    /**
     * The outcome code of a piece the node never started (contract of issue 10: not an ErrorCode, never reaches a
     * user). A node that keeps giving work back costs a fragment an attempt every {@link #FREE_RETURNS_PER_ATTEMPT}
     * returns, so no node can bounce a fragment for ever.
     */
    static final String NOT_RUN = FragmentOutcome.NOT_RUN;
    static final int FREE_RETURNS_PER_ATTEMPT = 8;

    enum Action { ACCEPT, AGAIN, AGAIN_FREE, REFUSED, FAIL_TASK }

    private FailoverPolicy() {
    }

    /**
     * @param outcome  the node's outcome for the piece, or null when the batch brought no answer
     * @param error    why the batch brought no answer (null when it did)
     * @param carried  whether the batch carried its bundle's bytes
     * @param attempts the attempts the fragment has used, this one included
     */
    static Action judge(FragmentOutcome outcome, Throwable error, boolean carried, int attempts) {
        if (error instanceof FragmentTransport.NotRunException) {
            return Action.AGAIN_FREE;
        }
        if (error != null) {
            return attempts < MAX_ATTEMPTS ? Action.AGAIN : Action.FAIL_TASK;
        }
        if (outcome.isOk()) {
            return Action.ACCEPT;
        }
        String code = outcome.errorCode();
        if (NOT_RUN.equals(code) || outcome.isBundleMissing() && !carried) {
            return Action.AGAIN_FREE;
        }
        if (ErrorCode.REFUSED_BY_RULES.name().equals(code)) {
            return Action.REFUSED;
        }
        if (isNodesFault(code)) {
            return attempts < MAX_ATTEMPTS ? Action.AGAIN : Action.FAIL_TASK;
        }
        return Action.FAIL_TASK;
    }

    /**
     * Whether a contributor's error code blames the node rather than the closure: then the fragment runs again
     * elsewhere. INTERNAL: the sandbox broke; TASK_CANCELLED: the node stopped the fragment because it is shutting
     * down (only the harbor cancels for the submitter, and then the result is ignored anyway); BUNDLE_MISSING to a
     * batch that carried the bundle: the node says what cannot be.
     */
    static boolean isNodesFault(String code) {
        return ErrorCode.INTERNAL.name().equals(code) || ErrorCode.TASK_CANCELLED.name().equals(code)
                || FragmentOutcome.BUNDLE_MISSING.equals(code);
    }

    /**
     * Whether the fragment may go to {@code node} now. A fragment that failed on a node waits for one it has not
     * failed on while such a node exists (busy or not): a stopping node answers at once, and its free core would
     * otherwise take every retry (CreditGridIT).
     *
     * @param untriedLeft whether some present node that the task may use has not been tried by this fragment
     */
    static boolean eligible(Set<UUID> triedOn, Set<UUID> refusedBy, Set<UUID> leaving, UUID node, boolean untriedLeft) {
        return !refusedBy.contains(node) && !leaving.contains(node) && !(untriedLeft && triedOn.contains(node));
    }
}
