package io.ptorrent.client;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * A submitted task. Its futures complete once the task has ended on the harbor; failures complete them
 * exceptionally with a {@link PtorrentException} (TASK_TIMEOUT, TASK_CANCELLED, FRAGMENT_FAILED, ...).
 * {@link #progress()} follows the task while it runs. Thread-safe.
 */
public final class TaskHandle<R> {
    private final CompletableFuture<R> result;
    private final TaskTracker tracker;

    TaskHandle(CompletableFuture<R> result, TaskTracker tracker) {
        this.result = result;
        this.tracker = tracker;
    }

    /** A handle on the same task with another result (a single value, a reduction). */
    <S> TaskHandle<S> withResult(CompletableFuture<S> other) {
        return new TaskHandle<>(other, tracker);
    }

    /** The task's result. */
    public CompletableFuture<R> result() {
        return result;
    }

    /** Where each fragment ran and what the task cost, once the task has succeeded. */
    public CompletableFuture<TaskReport> report() {
        return tracker.report;
    }

    /** The harbor's id of the task, once it has accepted it (for {@link PtorrentClient#status(String)} and {@code bin/ptorrent status}). */
    public CompletableFuture<String> taskId() {
        return tracker.taskId;
    }

    /** The task's state and progress as last reported by the harbor (it reports whenever fragments finish). */
    public TaskStatus progress() {
        return tracker.progress();
    }

    /**
     * Calls {@code listener} with every new progress report, and at once with the current one. Called on a
     * client thread: keep it short (print a progress bar, update a field).
     */
    public void onProgress(Consumer<TaskStatus> listener) {
        tracker.listen(listener);
    }

    /** Waits for the result. @throws PtorrentException with the task's error code */
    public R get() {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PtorrentException(ErrorCode.TASK_CANCELLED, "interrupted while waiting for the task", e);
        } catch (ExecutionException | CompletionException e) {
            throw unwrap(e.getCause());
        } catch (CancellationException e) {
            throw new PtorrentException(ErrorCode.TASK_CANCELLED, "the task was cancelled", e);
        }
    }

    /**
     * Asks the harbor to stop the task: queued fragments are dropped and running ones are stopped on their
     * contributors. The futures then complete with TASK_CANCELLED (unless the task had already ended).
     */
    public void cancel() {
        tracker.canceller.run();
    }

    static PtorrentException unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof PtorrentException p ? p : new PtorrentException(ErrorCode.INTERNAL, String.valueOf(t), t);
    }
}
