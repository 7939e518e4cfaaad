package io.ptorrent.plugin.scheduler;

import io.ptorrent.client.bundle.Bundle;
import io.ptorrent.client.wire.SubmitResult;
import io.ptorrent.client.wire.SubmitResult.FragmentResult;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** One task the harbor took: its fragments' state and results. Guarded by the scheduler's lock (its future is not). */
final class TaskRun {
    /** Whom a task without an account runs for in the queue: nobody's share. */
    static final String ANONYMOUS = "(anonymous)";

    final String id;
    final String account;
    /** Its fragments waiting in the queue (not out on a node): what a cancel takes out, and where batches fill from. */
    final Set<Fragment> queued = new LinkedHashSet<>();
    final FragmentResult[] results;
    /** Contributors whose share rules refused this task's work. */
    final Set<UUID> refusedBy = new HashSet<>();
    final CompletableFuture<SubmitResult> future = new CompletableFuture<>();
    /** Its batches out on contributors, to cancel when the task ends early. */
    final Set<CompletableFuture<?>> inFlight = new HashSet<>();
    /** Completes at the next change of progress, then is replaced. */
    CompletableFuture<Void> changed = new CompletableFuture<>();
    int remaining;
    boolean done;
    /** The size of its results, once it has succeeded. */
    long resultBytes;

    TaskRun(String id, String account, int fragments) {
        this.id = id;
        this.account = account;
        this.results = new FragmentResult[fragments];
        this.remaining = fragments;
    }

    /** The account the queue orders the task's work by; a task without one runs as an anonymous free rider. */
    String queueAccount() {
        return account == null ? ANONYMOUS : account;
    }

    int fragmentsDone() {
        return results.length - remaining;
    }

    /** One fragment of a task. */
    static final class Fragment {
        final TaskRun task;
        final int index;
        final Bundle bundle;
        final byte[] closure;
        final long timeoutMs;
        final Set<UUID> triedOn = new HashSet<>();
        int attempts;
        /** Times a node gave it back unstarted (no attempt used; see {@link FailoverPolicy#FREE_RETURNS_PER_ATTEMPT}). */
        int returns;

        Fragment(TaskRun task, int index, Bundle bundle, byte[] closure, long timeoutMs) {
            this.task = task;
            this.index = index;
            this.bundle = bundle;
            this.closure = closure;
            this.timeoutMs = timeoutMs;
        }
    }
}
