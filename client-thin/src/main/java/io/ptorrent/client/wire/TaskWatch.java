package io.ptorrent.client.wire;

import java.util.List;
import java.util.Objects;

/**
 * The argument of {@value GatewayTasks#TASK_WATCH}: many tasks awaited in one call.
 *
 * @param tasks  each task's id and the fragments done the caller knows of ({@link TaskQuery#waitMs} is ignored);
 *               at most {@link #MAX_TASKS}
 * @param waitMs how long to wait at most when none of them has moved, ms (the harbor caps it at 30,000)
 */
public record TaskWatch(List<TaskQuery> tasks, long waitMs) {
    /** The most tasks one watch names: an answer carries the results of every task of it that finished. */
    public static final int MAX_TASKS = 256;

    public TaskWatch {
        tasks = List.copyOf(Objects.requireNonNull(tasks, "tasks"));
    }
}
