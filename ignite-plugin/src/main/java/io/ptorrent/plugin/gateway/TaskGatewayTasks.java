package io.ptorrent.plugin.gateway;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.bundle.Bundle;
import io.ptorrent.client.wire.GatewayTasks;
import io.ptorrent.client.wire.TaskQuery;
import io.ptorrent.client.wire.TaskStartRequest;
import io.ptorrent.client.wire.TaskStatusResult;
import io.ptorrent.client.wire.TaskWatch;
import io.ptorrent.client.wire.TaskWatchResult;
import io.ptorrent.client.wire.WireError;
import io.ptorrent.client.wire.WireJson;
import io.ptorrent.plugin.PtorrentPlugin;
import io.ptorrent.plugin.scheduler.FragmentScheduler;
import io.ptorrent.plugin.scheduler.FragmentScheduler.TaskProgress;
import io.ptorrent.plugin.security.Caller;
import org.apache.ignite.Ignite;
import org.apache.ignite.compute.ComputeJob;
import org.apache.ignite.compute.ComputeJobAdapter;
import org.apache.ignite.compute.ComputeJobContext;
import org.apache.ignite.compute.ComputeTaskName;
import org.apache.ignite.resources.IgniteInstanceResource;
import org.apache.ignite.resources.JobContextResource;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The asynchronous task gateway: {@value GatewayTasks#TASK_START} accepts a task and answers at once,
 * {@value GatewayTasks#TASK_STATUS} and {@value GatewayTasks#TASK_AWAIT} report on it, {@value GatewayTasks#TASK_CANCEL}
 * stops it. Why asynchronous: a task may run for hours, and a gateway job that waited for it would hold
 * one of the harbor's threads (and the client's connection) all that time. An await waits at most
 * {@link #MAX_WAIT_MS} and, while it waits, is parked as an Ignite job continuation, holding no thread.
 */
final class TaskGatewayTasks {
    /** The longest an await waits before answering the state as it is. */
    static final long MAX_WAIT_MS = 30_000;

    private TaskGatewayTasks() {
    }

    @ComputeTaskName(GatewayTasks.TASK_START)
    static final class Start extends LocalGatewayTask {
        private static final long serialVersionUID = 1L;

        @Override
        ComputeJob job(String request) {
            return new StartJob(request);
        }

        @Override
        String internalError(WireError error) {
            return WireJson.write(TaskStatusResult.failed(null, error));
        }
    }

    @ComputeTaskName(GatewayTasks.TASK_STATUS)
    static final class Status extends LocalGatewayTask {
        private static final long serialVersionUID = 1L;

        @Override
        ComputeJob job(String request) {
            return new QueryJob(request, Kind.STATUS);
        }

        @Override
        String internalError(WireError error) {
            return WireJson.write(TaskStatusResult.failed(null, error));
        }
    }

    @ComputeTaskName(GatewayTasks.TASK_AWAIT)
    static final class Await extends LocalGatewayTask {
        private static final long serialVersionUID = 1L;

        @Override
        ComputeJob job(String request) {
            return new QueryJob(request, Kind.AWAIT);
        }

        @Override
        String internalError(WireError error) {
            return WireJson.write(TaskStatusResult.failed(null, error));
        }
    }

    @ComputeTaskName(GatewayTasks.TASK_WATCH)
    static final class Watch extends LocalGatewayTask {
        private static final long serialVersionUID = 1L;

        @Override
        ComputeJob job(String request) {
            return new WatchJob(request);
        }

        @Override
        String internalError(WireError error) {
            return WireJson.write(new TaskWatchResult(List.of(), error));
        }
    }

    @ComputeTaskName(GatewayTasks.TASK_CANCEL)
    static final class Cancel extends LocalGatewayTask {
        private static final long serialVersionUID = 1L;

        @Override
        ComputeJob job(String request) {
            return new QueryJob(request, Kind.CANCEL);
        }

        @Override
        String internalError(WireError error) {
            return WireJson.write(TaskStatusResult.failed(null, error));
        }
    }

    /** The answer for a task's progress; with the fragments' results only when asked and succeeded. */
    static TaskStatusResult answer(TaskProgress p, boolean withResults) {
        return new TaskStatusResult(p.taskId(), p.state().name(), p.fragmentsTotal(), p.fragmentsDone(), p.creditSpent(),
                withResults && p.result() != null ? p.result().fragments() : List.of(), p.error());
    }

    static FragmentScheduler scheduler(Ignite ignite) {
        try {
            return PtorrentPlugin.of(ignite).scheduler();
        } catch (IllegalStateException e) {
            throw new PtorrentException(ErrorCode.NOT_READY, e.getMessage());
        }
    }

    private static final class StartJob extends ComputeJobAdapter {
        private static final long serialVersionUID = 1L;

        private final String request;

        @IgniteInstanceResource
        private transient Ignite ignite;

        StartJob(String request) {
            this.request = request;
        }

        @Override
        public String execute() {
            Caller caller = Caller.current(ignite);
            return Caller.asHarbor(ignite, () -> start(caller));
        }

        private String start(Caller caller) {
            try {
                TaskStartRequest req = WireJson.read(request, TaskStartRequest.class);
                // Whom the task is for comes first: a request for another account is refused whatever else is wrong with it.
                String account = caller.chargeable(req.account());
                if (req.fragments().isEmpty()) {
                    throw new PtorrentException(ErrorCode.BAD_REQUEST, "the task has no fragments");
                }
                if (req.timeoutMs() < 0 || req.taskTimeoutMs() < 0) {
                    throw new PtorrentException(ErrorCode.BAD_REQUEST, "timeoutMs and taskTimeoutMs must not be negative");
                }
                Bundle bundle = BundleStore.of(ignite).get(req.bundleSha256());
                if (bundle == null) {
                    throw new PtorrentException(ErrorCode.BUNDLE_NOT_FOUND, "this harbor holds no bundle " + req.bundleSha256()
                            + "; upload it with " + GatewayTasks.BUNDLE_UPLOAD + " and start the task again");
                }
                FragmentScheduler scheduler = scheduler(ignite);
                FragmentScheduler.Accepted accepted = scheduler.submit(account, bundle, req.fragments(), req.timeoutMs());
                if (req.taskTimeoutMs() > 0) {
                    String id = accepted.taskId();
                    long ms = req.taskTimeoutMs();
                    // Enforced here, not by the client: a task whose submitter vanished still stops on time.
                    Closeable timer = ignite.scheduler().runLocal(() -> scheduler.fail(id, new PtorrentException(ErrorCode.TASK_TIMEOUT,
                            "task " + id + " did not finish within " + ms + " ms; its fragments were cancelled")), ms, TimeUnit.MILLISECONDS);
                    accepted.result().whenComplete((r, e) -> {
                        try {
                            timer.close();
                        } catch (IOException ignored) {
                            // the timer is gone either way
                        }
                    });
                }
                TaskProgress p = scheduler.progress(accepted.taskId());
                // With its results if it has ended already (a trivial task can, before this answer): the client then
                // has all it needs and does not watch a task that is over.
                return WireJson.write(p == null ? TaskStatusResult.failed(accepted.taskId(), null) : answer(p, true));
            } catch (PtorrentException e) {
                return WireJson.write(TaskStatusResult.failed(null, WireError.of(e)));
            }
        }
    }

    private enum Kind { STATUS, AWAIT, CANCEL }

    /**
     * A gateway job that may wait for tasks to move without holding a harbor thread: {@link #first} answers at once,
     * or {@link #park parks} the job as an Ignite continuation, and the job's second run returns what the wake-up set.
     */
    private abstract static class ParkingJob extends ComputeJobAdapter {
        private static final long serialVersionUID = 1L;

        /** Set by the continuation: the answer the second run of {@link #execute} returns. */
        private transient volatile String answer;

        @IgniteInstanceResource
        transient Ignite ignite;

        @JobContextResource
        private transient ComputeJobContext jobContext;

        @Override
        public final String execute() {
            if (answer != null) {
                return answer;
            }
            Caller caller = Caller.current(ignite);
            return Caller.asHarbor(ignite, () -> first(caller));
        }

        /** The first run, as the harbor for {@code caller}: an answer, or null after {@link #park}. */
        abstract String first(Caller caller);

        /** Parks the job until the first of {@code changes} completes or {@code waitMs} passes, then answers {@code later}'s. */
        final String park(List<CompletableFuture<Void>> changes, long waitMs, java.util.function.Supplier<String> later) {
            jobContext.holdcc();
            CompletableFuture.anyOf(changes.stream().map(CompletableFuture::copy).toArray(CompletableFuture[]::new))
                    .completeOnTimeout(null, waitMs, TimeUnit.MILLISECONDS).whenComplete((v, e) -> {
                        answer = later.get();
                        jobContext.callcc();
                    });
            return null;
        }
    }

    private static final class QueryJob extends ParkingJob {
        private static final long serialVersionUID = 1L;

        private final String request;
        private final Kind kind;

        QueryJob(String request, Kind kind) {
            this.request = request;
            this.kind = kind;
        }

        @Override
        String first(Caller caller) {
            String id = null;
            try {
                TaskQuery q = WireJson.read(request, TaskQuery.class);
                id = q.taskId();
                FragmentScheduler scheduler = scheduler(ignite);
                TaskProgress p = scheduler.progress(id);
                // Another account's task is answered as unknown: its id tells nothing about it.
                if (p == null || !caller.mayAccess(p.account())) {
                    throw notFound(id);
                }
                if (kind == Kind.CANCEL) {
                    scheduler.cancel(id);
                    p = scheduler.progress(id);
                }
                long wait = Math.min(Math.max(0, q.waitMs()), MAX_WAIT_MS);
                if (kind != Kind.AWAIT || p.state().finished() || p.fragmentsDone() != q.knownDone() || wait == 0) {
                    return WireJson.write(answer(p, kind == Kind.AWAIT));
                }
                String taskId = id;
                return park(List.of(p.changed()), wait, () -> {
                    TaskProgress now = scheduler.progress(taskId);
                    return WireJson.write(now == null || !caller.mayAccess(now.account()) ? TaskStatusResult.failed(taskId, WireError.of(notFound(taskId))) : answer(now, true));
                });
            } catch (PtorrentException e) {
                return WireJson.write(TaskStatusResult.failed(id, WireError.of(e)));
            }
        }

    }

    static PtorrentException notFound(String id) {
        return new PtorrentException(ErrorCode.NOT_FOUND, "this harbor knows no task " + id + " (a wrong id, another harbor's task, or one of more than "
                + FragmentScheduler.HISTORY + " tasks that finished since)");
    }

    /**
     * {@value GatewayTasks#TASK_WATCH}: the tasks of the watch that moved, at once if any has, else parked (no thread
     * held) until the first of them moves or the wait runs out. A task the caller may not see is answered NOT_FOUND,
     * as {@value GatewayTasks#TASK_AWAIT} does.
     */
    private static final class WatchJob extends ParkingJob {
        private static final long serialVersionUID = 1L;

        private final String request;

        WatchJob(String request) {
            this.request = request;
        }

        @Override
        String first(Caller caller) {
            try {
                TaskWatch w = WireJson.read(request, TaskWatch.class);
                if (w.tasks().isEmpty() || w.tasks().size() > TaskWatch.MAX_TASKS) {
                    throw new PtorrentException(ErrorCode.BAD_REQUEST, "a watch names 1 to " + TaskWatch.MAX_TASKS + " tasks, got " + w.tasks().size());
                }
                FragmentScheduler scheduler = scheduler(ignite);
                List<CompletableFuture<Void>> changes = new ArrayList<>();
                List<TaskStatusResult> moved = moved(scheduler, caller, w, changes);
                long wait = Math.min(Math.max(0, w.waitMs()), MAX_WAIT_MS);
                if (!moved.isEmpty() || wait == 0) {
                    return WireJson.write(new TaskWatchResult(moved, null));
                }
                return park(changes, wait, () -> {
                    try {
                        return WireJson.write(new TaskWatchResult(moved(scheduler, caller, w, new ArrayList<>()), null));
                    } catch (RuntimeException ex) {
                        return WireJson.write(new TaskWatchResult(List.of(), WireError.of(new PtorrentException(ErrorCode.INTERNAL, ex.toString()))));
                    }
                });
            } catch (PtorrentException e) {
                return WireJson.write(new TaskWatchResult(List.of(), WireError.of(e)));
            }
        }

        /** The watched tasks that finished, moved past what the caller knew, or are unknown to it; collects the others' change signals. */
        private static List<TaskStatusResult> moved(FragmentScheduler scheduler, Caller caller, TaskWatch w, List<CompletableFuture<Void>> changes) {
            List<TaskStatusResult> moved = new ArrayList<>();
            for (TaskQuery q : w.tasks()) {
                TaskProgress p = q.taskId() == null ? null : scheduler.progress(q.taskId());
                if (p == null || !caller.mayAccess(p.account())) {
                    moved.add(TaskStatusResult.failed(q.taskId(), WireError.of(notFound(q.taskId()))));
                } else if (p.state().finished() || p.fragmentsDone() != q.knownDone()) {
                    moved.add(answer(p, true));
                } else {
                    changes.add(p.changed());
                }
            }
            return moved;
        }
    }
}
