package io.ptorrent.client.wire;

import java.util.Objects;

/**
 * The argument of {@value GatewayTasks#TASK_STATUS}, {@value GatewayTasks#TASK_AWAIT} and
 * {@value GatewayTasks#TASK_CANCEL}.
 *
 * @param taskId    the task's id, as {@value GatewayTasks#TASK_START} answered it
 * @param waitMs    await only: how long to wait at most, ms (the harbor caps it at 30,000)
 * @param knownDone await only: the fragments done the caller knows of; the answer comes as soon as more are done
 */
public record TaskQuery(String taskId, long waitMs, int knownDone) {
    public TaskQuery {
        Objects.requireNonNull(taskId, "taskId");
    }

    /** A query for status or cancel. */
    public TaskQuery(String taskId) {
        this(taskId, 0, 0);
    }
}
