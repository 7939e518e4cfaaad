package io.ptorrent.client.wire;

import java.util.List;

/**
 * A task's state as the task gateway tasks answer it.
 *
 * @param taskId         the task's id (null if the start itself failed before an id was given)
 * @param state          {@code QUEUED}, {@code RUNNING}, {@code PAUSED_NO_CREDIT}, {@code SUCCEEDED}, {@code FAILED} or
 *                       {@code CANCELLED}
 *                       (null with error NOT_FOUND: no such task, or it finished too long ago)
 * @param fragmentsTotal the task's fragments
 * @param fragmentsDone  fragments whose result the harbor accepted
 * @param creditSpent    what the task cost, milli-PU-seconds; set once it has finished (0 before, and on a harbor
 *                       without a ledger)
 * @param fragments      await only, once SUCCEEDED: one result per fragment, in fragment order; else empty
 * @param error          why it FAILED or was CANCELLED, why it is PAUSED_NO_CREDIT (INSUFFICIENT_CREDIT, with what to
 *                       do), or why the call failed; null otherwise
 */
public record TaskStatusResult(String taskId, String state, int fragmentsTotal, int fragmentsDone, long creditSpent,
                               List<SubmitResult.FragmentResult> fragments, WireError error) {
    public TaskStatusResult {
        fragments = fragments == null ? List.of() : List.copyOf(fragments);
    }

    /** An answer that is only an error. */
    public static TaskStatusResult failed(String taskId, WireError error) {
        return new TaskStatusResult(taskId, null, 0, 0, 0, List.of(), error);
    }

    /** Whether the task has ended (SUCCEEDED, FAILED or CANCELLED). */
    public boolean finished() {
        return "SUCCEEDED".equals(state) || "FAILED".equals(state) || "CANCELLED".equals(state);
    }
}
