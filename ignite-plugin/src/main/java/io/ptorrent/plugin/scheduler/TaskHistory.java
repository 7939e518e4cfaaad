package io.ptorrent.plugin.scheduler;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The harbor's open tasks and the finished ones it still answers for by id, oldest first, bounded by a count and by
 * the result bytes they hold (so a harbor never keeps hundreds of tasks' results for a late await).
 *
 * <p>Not thread-safe: the scheduler calls it under its lock.
 */
final class TaskHistory {
    private final int maxFinished;
    private final long maxResultBytes;
    private final Map<String, TaskRun> open = new LinkedHashMap<>();
    private final Map<String, TaskRun> finished = new LinkedHashMap<>();
    private long finishedBytes;

    TaskHistory(int maxFinished, long maxResultBytes) {
        this.maxFinished = maxFinished;
        this.maxResultBytes = maxResultBytes;
    }

    void open(TaskRun task) {
        open.put(task.id, task);
    }

    TaskRun openTask(String id) {
        return open.get(id);
    }

    /** An open task, else a remembered finished one, else null. */
    TaskRun find(String id) {
        TaskRun t = open.get(id);
        return t != null ? t : finished.get(id);
    }

    Iterable<TaskRun> openTasks() {
        return open.values();
    }

    /** The task finished: it is remembered, and the oldest finished ones past the bounds are forgotten. */
    void finished(TaskRun task) {
        open.remove(task.id);
        finished.put(task.id, task);
        finishedBytes += task.resultBytes;
        var it = finished.values().iterator();
        while ((finished.size() > maxFinished || finishedBytes > maxResultBytes) && it.hasNext()) {
            TaskRun oldest = it.next();
            if (oldest == task) {
                break;
            }
            finishedBytes -= oldest.resultBytes;
            it.remove();
        }
    }

    int finishedCount() {
        return finished.size();
    }
}
