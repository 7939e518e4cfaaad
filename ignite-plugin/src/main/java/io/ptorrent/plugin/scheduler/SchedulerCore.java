package io.ptorrent.plugin.scheduler;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.bundle.Bundle;
import io.ptorrent.client.wire.SubmitResult;
import io.ptorrent.client.wire.SubmitResult.FragmentResult;
import io.ptorrent.client.wire.WireError;
import io.ptorrent.credit.ratio.FairQueue;
import io.ptorrent.credit.ratio.GridSample;
import io.ptorrent.credit.ratio.RatioEngine;
import io.ptorrent.plugin.scheduler.FailoverPolicy.Action;
import io.ptorrent.plugin.scheduler.FragmentScheduler.Standing;
import io.ptorrent.plugin.scheduler.FragmentScheduler.TaskProgress;
import io.ptorrent.plugin.scheduler.FragmentScheduler.TaskState;
import io.ptorrent.plugin.scheduler.FragmentTransport.Batch;
import io.ptorrent.plugin.scheduler.FragmentTransport.BatchReply;
import io.ptorrent.plugin.scheduler.FragmentTransport.NodeLeftException;
import io.ptorrent.plugin.scheduler.TaskRun.Fragment;
import io.ptorrent.plugin.scheduler.Topology.Contributor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The harbor's scheduler without Ignite: the queue, the tasks, dispatch of batches into each contributor's window,
 * and what becomes of their answers. {@link FragmentScheduler} is its Ignite face (the adapters of its ports, the
 * topology listener, the read models).
 *
 * <h2>Design note</h2>
 * <b>Parts.</b> Ports: {@link Topology} (contributors, their shared cores, measured PU), {@link FragmentTransport}
 * (send a batch, cancel it), a clock ({@code nanoTime} for durations, {@link Clock} for intervals). Decisions:
 * {@link Placement} (where a batch goes; the seam for learned balancing), {@link FailoverPolicy} (what an answer means
 * for each fragment), {@link NodeWindows} (how many batches each node may hold, how big, what each is paid),
 * {@link TaskHistory} (open and remembered tasks). This class holds them together under one lock.
 *
 * <p><b>Order.</b> The queue is a {@link FairQueue} by account, with the shares the {@link RatioEngine} gives the
 * accounts with work. Dispatch polls it for a batch's first fragment (asking per fragment whether some node with room
 * takes it and its task's escrow has room, so a fragment nobody takes never holds back the ones behind it), places it,
 * then fills the batch with the next queued fragments of the same task that may go to that node, each reserved in the
 * escrow ({@link TaskAccounting#reserveFragment}). A batch counts as one poll of the fair queue, and reports the PU
 * its accepted fragments used once ({@link FairQueue#onCompleted}).
 *
 * <p><b>Pipeline.</b> Each node holds up to {@code depth × sharedCores} batches; queued ones wait in the node's
 * admission queue and count against none of its shared cores. A node that gives batches back
 * ({@link FailoverPolicy#NOT_RUN}, or {@link FragmentTransport.NotRunException}) or leaves returns their fragments to
 * the queue at once, without using an attempt for the ones that cannot have started.
 *
 * <p><b>Paid time</b> is what the harbor observed, per lane of the node ({@link NodeWindows#completed}), split among a
 * batch's fragments that ran by the node's claimed run times (equally when it claims none); only accepted fragments
 * are paid, so a failed fragment's time is nobody's and a node cannot move it onto the accepted ones.
 *
 * <p><b>Concurrency.</b> All state is guarded by {@code lock}; ports' sends and futures' completions happen outside it;
 * {@link Topology}, {@link Placement}, the accounting's non-blocking calls and the probe hook's {@code due} are called
 * inside it.
 */
final class SchedulerCore {
    /** Speed probes: the Ignite side measures nodes on a core of their own before they take paid work. */
    interface Probes {
        /** The nodes among these (each with a core free of batches and probes) to probe now, marked as probed. Under the lock. */
        List<UUID> due(List<Contributor> withFreeCore);

        /** Sends the probe (outside the lock); {@code release} gives its core back, once. */
        void send(UUID node, Runnable release);

        /** The node left. Under the lock. */
        void forget(UUID node);

        Probes NONE = new Probes() {
            @Override
            public List<UUID> due(List<Contributor> withFreeCore) {
                return List.of();
            }

            @Override
            public void send(UUID node, Runnable release) {
            }

            @Override
            public void forget(UUID node) {
            }
        };
    }

    /** Tells the accounting that a fragment's result was accepted (the Ignite side resolves the node). Under the lock. */
    interface Acceptance {
        void accepted(String taskId, int fragment, UUID node, long harborMillis);
    }

    private final String harborName;
    private final long maxTimeoutMs;
    private final Topology topology;
    private final FragmentTransport transport;
    private final Placement placement;
    private final TaskAccounting accounting;
    private final Acceptance acceptance;
    private final RatioEngine ratio;
    private final LongSupplier nanoTime;
    private final Clock clock;
    private final Consumer<String> log;
    /** Where progress waiters are woken: never on the caller's thread under the lock. */
    private final Executor wakeups;
    private Probes probes = Probes.NONE;

    private final Object lock = new Object();
    private final FairQueue<Fragment> queue;
    private final NodeWindows windows;
    private final TaskHistory history;
    /** Which bundles each contributor holds, as far as this harbor knows. Thread-safe on its own. */
    private final BundleDelivery deliveries = new BundleDelivery();
    /**
     * Nodes a send failed on because they left, while the topology still lists them (a node that stops shows for a
     * moment after its last job failed): no fragment goes there again, else a retry could pick it over and over and
     * use up a fragment's attempts in milliseconds. Until it leaves.
     */
    private final Set<UUID> leaving = new HashSet<>();
    /** Fragments out on each node (in its batches). */
    private final Map<UUID, Integer> fragmentsOut = new HashMap<>();
    /** Cores that a speed probe holds, per node: busy like a batch's, but not a submitter's work. */
    private final Map<UUID, Integer> probing = new HashMap<>();
    private int running;
    private boolean stopped;
    /** Moving average of an accepted fragment's work, PU-seconds; feeds the estimate. */
    private double recentFragmentPuSeconds;
    /** Fragments submitted since the last {@link #tick}: the arriving part of demand. */
    private long arrivedSinceTick;
    private Instant lastTick;

    SchedulerCore(String harborName, long maxTimeoutMs, Topology topology, FragmentTransport transport, Placement placement,
                  NodeWindows.Options windowOptions, TaskAccounting accounting, Acceptance acceptance, RatioEngine ratio,
                  LongSupplier nanoTime, Clock clock, Consumer<String> log, Executor wakeups) {
        this.harborName = harborName;
        this.maxTimeoutMs = maxTimeoutMs;
        this.topology = topology;
        this.transport = transport;
        this.placement = placement;
        this.accounting = accounting;
        this.acceptance = acceptance;
        this.ratio = ratio;
        this.nanoTime = nanoTime;
        this.clock = clock;
        this.log = log;
        this.wakeups = wakeups;
        this.queue = new FairQueue<>(ratio);
        this.windows = new NodeWindows(windowOptions);
        this.history = new TaskHistory(FragmentScheduler.HISTORY, FragmentScheduler.HISTORY_RESULT_BYTES);
        this.lastTick = clock.instant();
    }

    /** Set once, before the first dispatch. */
    void probes(Probes probes) {
        this.probes = probes;
    }

    Object lock() {
        return lock;
    }

    BundleDelivery deliveries() {
        return deliveries;
    }

    // ---------------------------------------------------------------- tasks

    FragmentScheduler.Accepted submit(String account, Bundle bundle, List<byte[]> closures, long timeoutMs) {
        TaskRun task = new TaskRun(UUID.randomUUID().toString(), account, closures.size());
        FragmentScheduler.Accepted accepted = new FragmentScheduler.Accepted(task.id, task.future);
        if (closures.isEmpty()) {
            task.future.complete(new SubmitResult(task.id, List.of(), null));
            return accepted;
        }
        long limit = timeoutMs <= 0 ? maxTimeoutMs : Math.min(timeoutMs, maxTimeoutMs);
        boolean anyone;
        synchronized (lock) {
            anyone = !topology.contributors().isEmpty();
        }
        // Credit before anything is queued, outside the lock (a ledger transaction). Without contributors the
        // check below refuses the task with NO_CONTRIBUTORS, and nothing is held for it.
        if (anyone) {
            try {
                accounting.onAccepted(task.id, account, closures.size(), limit);
            } catch (PtorrentException e) {
                failedNow(task, e);
                return accepted;
            }
        }
        synchronized (lock) {
            if (stopped) {
                failedNow(task, new PtorrentException(ErrorCode.INTERNAL, "the harbor is stopping; submit again to another harbor"));
                return accepted;
            }
            if (topology.contributors().isEmpty()) {
                failedNow(task, new PtorrentException(ErrorCode.NO_CONTRIBUTORS,
                        "no contributor node of harbor '" + harborName + "' is in the grid"));
                return accepted;
            }
            history.open(task);
            for (int i = 0; i < closures.size(); i++) {
                enqueue(new Fragment(task, i, bundle, closures.get(i), limit));
            }
            arrivedSinceTick += closures.size();
        }
        dispatch();
        return accepted;
    }

    boolean fail(String taskId, PtorrentException reason) {
        TaskRun task;
        synchronized (lock) {
            task = history.openTask(taskId);
        }
        if (task == null) {
            return false;
        }
        finish(task, reason);
        return true;
    }

    TaskProgress progress(String taskId) {
        TaskRun task;
        CompletableFuture<Void> changed;
        synchronized (lock) {
            task = history.find(taskId);
            if (task == null) {
                return null;
            }
            changed = task.changed;
        }
        SubmitResult r = task.future.getNow(null);
        if (r != null) {
            TaskState state = r.error() == null ? TaskState.SUCCEEDED
                    : ErrorCode.TASK_CANCELLED.name().equals(r.error().code()) ? TaskState.CANCELLED : TaskState.FAILED;
            return new TaskProgress(task.id, task.account, state, task.results.length, task.fragmentsDone(),
                    r.creditSpent(), r.error(), r, CompletableFuture.completedFuture(null));
        }
        synchronized (lock) {
            int done = task.fragmentsDone();
            PtorrentException paused = accounting.pausedForCredit(task.id);
            TaskState state = paused != null ? TaskState.PAUSED_NO_CREDIT
                    : done > 0 || !task.inFlight.isEmpty() ? TaskState.RUNNING : TaskState.QUEUED;
            return new TaskProgress(task.id, task.account, state, task.results.length, done, 0, paused == null ? null : WireError.of(paused), null, changed);
        }
    }

    Standing standing(String account) {
        Set<String> competing;
        synchronized (lock) {
            competing = new HashSet<>(queue.accounts());
        }
        competing.add(account);
        return new Standing(ratio.entitlements(competing).share(account), ratio.weight(account), ratio.price());
    }

    /** What the read models show: fragments queued and out, per node out, the recent fragment size. */
    record Load(int queued, int running, Map<UUID, Integer> runningPerNode, double recentFragmentPuSeconds) {
    }

    Load load() {
        synchronized (lock) {
            return new Load(queue.size(), running, new HashMap<>(fragmentsOut), recentFragmentPuSeconds);
        }
    }

    /** Fails every open task; the harbor stops. */
    void stop() {
        List<TaskRun> open;
        synchronized (lock) {
            stopped = true;
            open = new ArrayList<>();
            history.openTasks().forEach(open::add);
        }
        for (TaskRun t : open) {
            finish(t, new PtorrentException(ErrorCode.INTERNAL, "the harbor stopped while the task ran; submit it again"));
        }
    }

    // ---------------------------------------------------------------- topology

    /** A node left (or failed): what is known of it goes. Its batches' futures fail on their own (the transport's). */
    void nodeLeft(UUID node) {
        deliveries.forget(node);
        synchronized (lock) {
            probes.forget(node);
            leaving.remove(node);
            windows.forget(node);
        }
    }

    /** The topology changed: tasks that nobody can run any more fail; the rest may go out to new nodes. */
    void topologyChanged() {
        Map<TaskRun, PtorrentException> stranded = new LinkedHashMap<>();
        synchronized (lock) {
            List<UUID> present = topology.contributors().stream().map(Contributor::id).toList();
            deliveries.retainOnly(present); // a send that raced with a node's leave may have noted it again
            for (TaskRun t : history.openTasks()) {
                if (t.queued.isEmpty()) {
                    continue;
                }
                if (present.isEmpty()) {
                    stranded.put(t, new PtorrentException(ErrorCode.NO_CONTRIBUTORS, "every contributor node of harbor '"
                            + harborName + "' left the grid before task " + t.id + " finished"));
                } else if (t.refusedBy.containsAll(present)) {
                    // The nodes that took this task's work left, and those still here refused it: waiting would be forever.
                    stranded.put(t, refusedByAll(t));
                }
            }
        }
        stranded.forEach(this::finish);
        dispatch();
    }

    // ---------------------------------------------------------------- sampling

    /**
     * Closes one interval: gives the ratio engine the PU the contributors offered and the PU the work asked for
     * (queued, out and arrived fragments at the recent fragment size, over the interval), and refreshes the queue's
     * shares.
     */
    void tick() {
        Instant now = clock.instant();
        double supply = 0;
        double demand;
        synchronized (lock) {
            if (stopped) {
                return;
            }
            for (Contributor n : topology.contributors()) {
                supply += n.sharedCores() * n.puPerCore();
            }
            double seconds = Math.max(1, Duration.between(lastTick, now).toMillis() / 1000.0);
            double fragmentPu = recentFragmentPuSeconds > 0 ? recentFragmentPuSeconds : FairQueue.DEFAULT_COST;
            demand = (queue.size() + running + arrivedSinceTick) * fragmentPu / seconds;
            arrivedSinceTick = 0;
            lastTick = now;
        }
        // Outside the lock: training the forecast may take tens of milliseconds.
        ratio.recordInterval(new GridSample(now, supply, demand));
        synchronized (lock) {
            queue.refresh();
        }
        dispatch();
    }

    // ---------------------------------------------------------------- dispatch

    /**
     * Batches decided, in the order they were decided (appended under the lock), to be sent in that order by
     * whichever thread drains it ({@link #drainOutbox}): a node then gets a bundle's bytes before the batches that
     * name it by hash only, which two dispatching threads would otherwise race to send.
     */
    private final java.util.Queue<Outgoing> outbox = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final Object sendLock = new Object();

    /** A batch on its way: its fragments, the node, when it left. */
    private record Outgoing(Contributor node, List<Fragment> pieces, boolean carried, long sentNanos, double share) {
    }

    /** Fills every node's window with batches, as long as there is room and queued work. */
    void dispatch() {
        List<UUID> toProbe;
        synchronized (lock) {
            if (stopped) {
                return;
            }
            // Speed probes first, each on a core free of batches: a node without a measured figure takes no paid work.
            List<Contributor> free = new ArrayList<>();
            for (Contributor n : topology.contributors()) {
                if (n.sharedCores() - windows.inFlight(n.id()) - probing.getOrDefault(n.id(), 0) > 0) {
                    free.add(n);
                }
            }
            toProbe = probes.due(free);
            toProbe.forEach(n -> probing.merge(n, 1, Integer::sum));
        }
        toProbe.forEach(n -> probes.send(n, () -> probeDone(n)));
        synchronized (lock) {
            if (stopped || queue.size() == 0) {
                return;
            }
            List<Contributor> nodes = topology.contributors();
            int totalCores = 0;
            for (Contributor n : nodes) {
                totalCores += n.sharedCores();
            }
            while (true) {
                Fragment f = queue.poll(c -> place(c, nodes) != null && accounting.reserveFragment(c.task.id));
                if (f == null) {
                    break;
                }
                Contributor node = place(f, nodes).node();
                TaskRun task = f.task;
                // Spread a task's tail over the grid: a batch takes at most its share of the task's queued fragments.
                int available = Math.max(1, (task.queued.size() + totalCores - 1) / Math.max(1, totalCores));
                int size = windows.batchSize(node.id(), task.id, available);
                List<Fragment> pieces = new ArrayList<>(size);
                pieces.add(f);
                task.queued.remove(f);
                if (size > 1) {
                    for (Iterator<Fragment> it = task.queued.iterator(); it.hasNext() && pieces.size() < size; ) {
                        Fragment g = it.next();
                        boolean ok = FailoverPolicy.eligible(g.triedOn, task.refusedBy, leaving, node.id(),
                                !g.triedOn.isEmpty() && untriedLeft(g, nodes));
                        if (!ok || !accounting.reserveFragment(task.id)) {
                            if (ok) {
                                break; // the escrow is full: the rest waits
                            }
                            continue;
                        }
                        it.remove();
                        queue.remove(task.queueAccount(), g);
                        pieces.add(g);
                    }
                }
                for (Fragment p : pieces) {
                    p.attempts++;
                    p.triedOn.add(node.id());
                }
                running += pieces.size();
                fragmentsOut.merge(node.id(), pieces.size(), Integer::sum);
                windows.sent(node.id());
                boolean carry = deliveries.mustCarry(node.id(), f.bundle.sha256());
                outbox.add(new Outgoing(node, pieces, carry, nanoTime.getAsLong(), queue.entitlements().share(task.queueAccount())));
            }
        }
        drainOutbox();
    }

    /** Sends what dispatch decided, in its order; outside the main lock (a send that fails at once re-enters here). */
    private void drainOutbox() {
        synchronized (sendLock) {
            for (Outgoing o; (o = outbox.poll()) != null; ) {
                send(o);
            }
        }
    }

    /** Whether some present node that the fragment's task may use has not been tried by it. Under the lock. */
    private boolean untriedLeft(Fragment f, List<Contributor> nodes) {
        for (Contributor n : nodes) {
            if (!f.triedOn.contains(n.id()) && !f.task.refusedBy.contains(n.id()) && !leaving.contains(n.id())) {
                return true;
            }
        }
        return false;
    }

    /** Where the fragment would go now as the first of a batch: a node with room that may take it, or null. Under the lock. */
    private Placement.Candidate place(Fragment f, List<Contributor> nodes) {
        boolean untried = untriedLeft(f, nodes);
        List<Placement.Candidate> candidates = null;
        for (Contributor n : nodes) {
            if (n.puPerCore() <= 0 || !FailoverPolicy.eligible(f.triedOn, f.task.refusedBy, leaving, n.id(), untried)) {
                continue; // not measured yet (or its last answers were wrong): no paid work
            }
            int room = windows.room(n.id(), n.sharedCores(), probing.getOrDefault(n.id(), 0));
            if (room > 0) {
                if (candidates == null) {
                    candidates = new ArrayList<>(nodes.size());
                }
                candidates.add(new Placement.Candidate(n, room));
            }
        }
        return candidates == null ? null : placement.place(new Placement.Request(f.task.id, f.task.account, f.index), candidates);
    }

    private void send(Outgoing o) {
        Fragment first = o.pieces.get(0);
        TaskRun task = first.task;
        List<Integer> indexes = new ArrayList<>(o.pieces.size());
        List<byte[]> closures = new ArrayList<>(o.pieces.size());
        for (Fragment p : o.pieces) {
            indexes.add(p.index);
            closures.add(p.closure);
        }
        Batch batch = new Batch(task.id, task.account, first.bundle, o.carried, indexes, closures, first.timeoutMs, o.share);
        CompletableFuture<BatchReply> fut;
        try {
            fut = transport.send(o.node.id(), batch);
        } catch (RuntimeException e) {
            fut = CompletableFuture.failedFuture(e);
        }
        boolean cancelled;
        synchronized (lock) {
            cancelled = task.done;
            if (!cancelled) {
                task.inFlight.add(fut);
            }
        }
        CompletableFuture<BatchReply> sent = fut;
        sent.whenComplete((reply, error) -> answered(o, sent, reply, error));
        if (cancelled) {
            // The task ended while this batch was being sent: stop it on the contributor.
            sent.cancel(false);
        }
    }

    /** A batch came back, answered or not. */
    private void answered(Outgoing o, CompletableFuture<BatchReply> fut, BatchReply reply, Throwable error) {
        if (error instanceof java.util.concurrent.CompletionException && error.getCause() != null) {
            error = error.getCause();
        }
        Fragment first = o.pieces.get(0);
        TaskRun task = first.task;
        UUID nodeId = o.node.id();
        if (error == null && (reply == null || reply.outcomes().size() != o.pieces.size())) {
            error = new IllegalStateException("the node answered " + (reply == null ? "nothing" : reply.outcomes().size() + " outcomes")
                    + " for a batch of " + o.pieces.size());
        }
        deliveries.answered(nodeId, first.bundle.sha256(), o.carried, bundleAnswer(reply, error));
        long now = nanoTime.getAsLong();
        PtorrentException failure = null;
        SubmitResult success = null;
        synchronized (lock) {
            task.inFlight.remove(fut);
            running -= o.pieces.size();
            fragmentsOut.computeIfPresent(nodeId, (k, v) -> v <= o.pieces.size() ? null : v - o.pieces.size());
            // What ran, by the node's claim: the weights that split the harbor's observed time.
            int ran = 0;
            long claimed = 0;
            if (error == null) {
                for (int i = 0; i < o.pieces.size(); i++) {
                    if (ranOnNode(reply.outcomes().get(i))) {
                        ran++;
                        claimed += Math.max(0, reply.nodeMillis().get(i));
                    }
                }
            }
            Contributor node = contributor(nodeId);
            int cores = node == null ? 1 : node.sharedCores();
            long paid = windows.completed(nodeId, task.id, o.sentNanos, now, cores, ran, claimed);
            if (task.done) {
                windows.forgetTask(task.id); // what this late answer taught is of no use
            }
            double pu = node == null ? 1.0 : node.puPerCore();
            if (error instanceof NodeLeftException && topology.present(nodeId)) {
                leaving.add(nodeId);
            }
            double acceptedPu = 0;
            int acceptedCount = 0;
            for (int i = 0; i < o.pieces.size(); i++) {
                Fragment f = o.pieces.get(i);
                FragmentOutcome outcome = error == null ? reply.outcomes().get(i) : null;
                // Of a batch that brought no answer because its node left, only the first piece can have started.
                Throwable why = error instanceof NodeLeftException && i > 0 ? new FragmentTransport.NotRunException("the node left") : error;
                Action action = FailoverPolicy.judge(outcome, why, o.carried, f.attempts);
                boolean accepted = false;
                if (task.done) {
                    // Cancelled or failed meanwhile: the result is dropped, unpaid.
                } else if (action == Action.ACCEPT) {
                    long millis = ran == 0 ? 0 : claimed > 0 ? paid * Math.max(0, reply.nodeMillis().get(i)) / claimed : paid / ran;
                    task.results[f.index] = new FragmentResult(f.index, nodeId.toString(), outcome.value(), millis);
                    acceptance.accepted(task.id, f.index, nodeId, millis);
                    accepted = true;
                    acceptedCount++;
                    double fragmentPu = millis / 1000.0 * pu;
                    acceptedPu += fragmentPu;
                    // An exponential moving average: recent fragments say most about the next ones.
                    recentFragmentPuSeconds = recentFragmentPuSeconds == 0 ? fragmentPu : 0.8 * recentFragmentPuSeconds + 0.2 * fragmentPu;
                    if (--task.remaining == 0) {
                        success = new SubmitResult(task.id, List.of(task.results), null);
                    }
                } else if (action == Action.AGAIN_FREE) {
                    f.attempts--;
                    f.triedOn.remove(nodeId);
                    if (++f.returns % FailoverPolicy.FREE_RETURNS_PER_ATTEMPT == 0) {
                        f.attempts++; // a node that keeps giving work back: every so often it counts
                    }
                    enqueue(f);
                } else if (action == Action.REFUSED) {
                    // The owner does not take this task's work: never send it there again; no attempt is used up.
                    task.refusedBy.add(nodeId);
                    f.attempts--;
                    if (failure == null && task.refusedBy.containsAll(topology.contributors().stream().map(Contributor::id).toList())) {
                        failure = refusedByAll(task);
                    } else {
                        enqueue(f);
                    }
                } else if (action == Action.AGAIN) {
                    log.accept("fragment " + task.id + "/" + f.index + " failed on node " + nodeId + " (" + describe(outcome, error)
                            + "); trying again elsewhere");
                    enqueue(f);
                } else if (failure == null) {
                    failure = error != null || FailoverPolicy.isNodesFault(outcome.errorCode())
                            ? new PtorrentException(ErrorCode.RETRIES_EXHAUSTED, "fragment " + f.index + " of task " + task.id + " failed "
                            + f.attempts + " times; last: " + describe(outcome, error))
                            : new WireError(outcome.errorCode(), "fragment " + f.index + ": " + outcome.errorMessage()).toException();
                }
                if (!accepted) {
                    accounting.onFragmentReleased(task.id);
                }
            }
            if (failure == null && !task.done && !task.queued.isEmpty()) {
                // Its fragments came back from a node that left or refused: if nobody left would take them, waiting is for ever.
                List<UUID> present = topology.contributors().stream().map(Contributor::id).toList();
                if (present.isEmpty()) {
                    failure = new PtorrentException(ErrorCode.NO_CONTRIBUTORS, "every contributor node of harbor '"
                            + harborName + "' left the grid before task " + task.id + " finished");
                } else if (task.refusedBy.containsAll(present)) {
                    failure = refusedByAll(task);
                }
            }
            // What the account received: only accepted work counts against its share; a node's fault costs it nothing.
            queue.onCompleted(task.queueAccount(), acceptedPu);
            // The last result wakes the watchers once, when the task has ended (ended()): a wake-up now would show it
            // still running, and cost a watcher one more round trip to see it end.
            if (acceptedCount > 0 && success == null && failure == null) {
                changedLocked(task);
            }
        }
        if (failure != null) {
            finish(task, failure);
        } else if (success != null) {
            complete(task, success);
        }
        dispatch();
    }

    /** Whether the node started the piece (its outcome is its own work, not a give-back or a missing bundle). */
    private static boolean ranOnNode(FragmentOutcome o) {
        return !FailoverPolicy.NOT_RUN.equals(o.errorCode()) && !o.isBundleMissing();
    }

    /** The batch's answer as {@link BundleDelivery} reads it: missing, held, or nothing known. */
    private static FragmentOutcome bundleAnswer(BatchReply reply, Throwable error) {
        if (error != null || reply == null) {
            return null;
        }
        for (FragmentOutcome o : reply.outcomes()) {
            if (o.isBundleMissing()) {
                return o;
            }
        }
        return FragmentOutcome.ok(null).withBundleHeld(reply.bundleHeld());
    }

    private Contributor contributor(UUID id) {
        for (Contributor c : topology.contributors()) {
            if (c.id().equals(id)) {
                return c;
            }
        }
        return null;
    }

    private static String describe(FragmentOutcome outcome, Throwable error) {
        if (error instanceof NodeLeftException) {
            return "the node left the grid";
        }
        if (error != null) {
            return error.getClass().getSimpleName() + ": " + error.getMessage();
        }
        return outcome.errorMessage();
    }

    /** A speed probe's core is free again. */
    private void probeDone(UUID node) {
        synchronized (lock) {
            probing.computeIfPresent(node, (k, v) -> v <= 1 ? null : v - 1);
        }
        dispatch();
    }

    /** Queues a fragment behind its account's others; under the lock. */
    private void enqueue(Fragment f) {
        queue.add(f.task.queueAccount(), f);
        f.task.queued.add(f);
    }

    private PtorrentException refusedByAll(TaskRun task) {
        return new PtorrentException(ErrorCode.REFUSED_BY_RULES, "no contributor of harbor '" + harborName + "' accepts the work of task "
                + task.id + " now (their share rules name whom they work for); submit again later or to another harbor");
    }

    // ---------------------------------------------------------------- endings

    private void finish(TaskRun task, PtorrentException failure) {
        List<CompletableFuture<?>> toCancel;
        synchronized (lock) {
            if (task.done) {
                return;
            }
            task.done = true;
            history.finished(task);
            windows.forgetTask(task.id);
            for (Fragment f : task.queued) {
                queue.remove(task.queueAccount(), f);
            }
            task.queued.clear();
            toCancel = new ArrayList<>(task.inFlight);
        }
        // Batches out stop on their contributors (the sandbox kills the worker); their outcomes are dropped.
        for (CompletableFuture<?> fut : toCancel) {
            try {
                fut.cancel(false);
            } catch (RuntimeException e) {
                log.accept("cannot cancel a batch of task " + task.id + ": " + e.getMessage());
            }
        }
        ended(task, new SubmitResult(task.id, List.of(), WireError.of(failure)));
    }

    private void complete(TaskRun task, SubmitResult result) {
        synchronized (lock) {
            task.done = true;
            for (FragmentResult r : task.results) {
                task.resultBytes += r.value() == null ? 0 : r.value().length;
            }
            history.finished(task);
            windows.forgetTask(task.id);
        }
        ended(task, result);
    }

    /** Wakes whoever waits on the task's progress; under the lock (the waiters run elsewhere, not here). */
    private void changedLocked(TaskRun task) {
        CompletableFuture<Void> old = task.changed;
        task.changed = new CompletableFuture<>();
        wakeups.execute(() -> old.complete(null));
    }

    private void failedNow(TaskRun task, PtorrentException e) {
        synchronized (lock) {
            task.done = true;
            history.finished(task);
        }
        ended(task, new SubmitResult(task.id, List.of(), WireError.of(e)));
    }

    /**
     * Completes the task's future with what its accounting says it cost; off the caller's thread (with the other
     * wake-ups), since some callers hold the lock and the future's callbacks are the gateway's and the client's.
     */
    private void ended(TaskRun task, SubmitResult result) {
        accounting.onTaskEnded(task.id).whenComplete((spent, e) -> wakeups.execute(() -> {
            task.future.complete(result.withCreditSpent(spent == null ? 0 : spent));
            CompletableFuture<Void> last;
            synchronized (lock) {
                last = task.changed;
            }
            last.complete(null);
        }));
    }
}
