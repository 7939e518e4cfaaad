package io.ptorrent.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** What every handle on one task shares: its id, its latest progress and who listens to it. Thread-safe. */
final class TaskTracker {
    final CompletableFuture<String> taskId = new CompletableFuture<>();
    final CompletableFuture<TaskReport> report = new CompletableFuture<>();
    private final List<Consumer<TaskStatus>> listeners = new CopyOnWriteArrayList<>();
    private volatile TaskStatus progress;
    volatile Runnable canceller = () -> { };

    TaskTracker(int fragments) {
        progress = new TaskStatus(null, TaskStatus.State.SUBMITTING, fragments, 0, 0, null);
    }

    TaskStatus progress() {
        return progress;
    }

    void listen(Consumer<TaskStatus> listener) {
        listeners.add(listener);
        listener.accept(progress);
    }

    void update(TaskStatus now) {
        progress = now;
        for (Consumer<TaskStatus> l : listeners) {
            l.accept(now);
        }
    }
}
