package io.ptorrent.client.wire;

import java.util.List;

/**
 * The answer of {@value GatewayTasks#TASK_WATCH}.
 *
 * @param changed the watched tasks that moved past what the caller knew (more fragments done, or finished: then
 *                with their results as {@value GatewayTasks#TASK_AWAIT} gives them), and the unknown ones (state
 *                null, error NOT_FOUND); empty when the wait ran out first
 * @param error   why the whole watch was refused (a bad request), else null
 */
public record TaskWatchResult(List<TaskStatusResult> changed, WireError error) {
    public TaskWatchResult {
        changed = changed == null ? List.of() : List.copyOf(changed);
    }
}
