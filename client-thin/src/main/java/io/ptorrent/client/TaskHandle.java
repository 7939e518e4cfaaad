package io.ptorrent.client;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A submitted task. Its futures complete once the harbor answers; failures complete them
 * exceptionally with a {@link PtorrentException}. Thread-safe.
 */
public final class TaskHandle<R> {
    private final CompletableFuture<R> result;
    private final CompletableFuture<TaskReport> report;
    private final Runnable canceller;

    TaskHandle(CompletableFuture<R> result, CompletableFuture<TaskReport> report, Runnable canceller) {
        this.result = result;
        this.report = report;
        this.canceller = canceller;
    }

    /** The task's result. */
    public CompletableFuture<R> result() {
        return result;
    }

    /** Where each fragment ran, once the task has succeeded. */
    public CompletableFuture<TaskReport> report() {
        return report;
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

    /** Asks the harbor to stop the task: queued fragments are dropped, running ones ignored. */
    public void cancel() {
        canceller.run();
    }

    static PtorrentException unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof PtorrentException p ? p : new PtorrentException(ErrorCode.INTERNAL, String.valueOf(t), t);
    }
}
