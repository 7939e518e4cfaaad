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
import io.ptorrent.plugin.GridSnapshot;
import io.ptorrent.plugin.GridSnapshot.NodeInfo;
import io.ptorrent.plugin.NodeAttributes;
import io.ptorrent.plugin.NodeRole;
import io.ptorrent.plugin.OneNodeTask;
import io.ptorrent.plugin.security.Caller;
import io.ptorrent.plugin.admission.ShareOffers;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.cluster.ClusterTopologyException;
import org.apache.ignite.events.DiscoveryEvent;
import org.apache.ignite.events.Event;
import org.apache.ignite.events.EventType;
import org.apache.ignite.lang.IgniteFuture;
import org.apache.ignite.lang.IgnitePredicate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.function.LongSupplier;

/**
 * The harbor's fragment scheduler: a queue of fragments and the shared cores of this harbor's
 * contributors.
 *
 * <p>Design: a fragment is sent to one contributor only when that contributor has a free shared core
 * (its {@code sharedCores} attribute minus the fragments this harbor has running there), so the harbor
 * never maps work onto capacity that is not shared. Each fragment is a single Ignite compute call
 * aimed at one node, without Ignite's failover: this class decides where a failed fragment goes
 * next, and never onto a harbor. A fragment whose node leaves, times out or fails internally is
 * queued again, up to {@link #MAX_ATTEMPTS} times; a fragment whose closure fails fails its task,
 * which drops its queued fragments.
 *
 * <p>Order: the queue is a {@link FairQueue} by account, with the shares the {@link RatioEngine} gives
 * the accounts with work ("give all you need, bring all you don't need"); an account with no share runs
 * on what nobody entitled wants. Dispatch asks, per fragment, whether some free node takes it, so a
 * fragment that no free node accepts never holds back the ones behind it. {@link #tick} (once per
 * interval, from the plugin's timer) feeds the engine the grid's supply and demand and refreshes the
 * shares.
 *
 * <p>Speed: a node's PU per core, for placement, supply and reported work, is what this harbor measured
 * ({@link NodeSpeeds}, by {@link SpeedProbes}: benchmark fragments that dispatch sends first, each on a free
 * core of the node); a node not measured yet takes no submitter's fragment.
 *
 * <p>Concurrency: all state is guarded by {@code lock}; Ignite calls are made outside it. Futures of
 * tasks are completed outside the lock too.
 */
public final class FragmentScheduler {
    static final int MAX_ATTEMPTS = 5;
    /** How many finished tasks stay queryable by id (with their results, until they fall out). */
    public static final int HISTORY = 256;
    /**
     * The most result bytes finished tasks keep for a late await: past it the oldest finished tasks are
     * forgotten, so that a harbor never holds hundreds of tasks' results (each up to the result cap per fragment).
     */
    public static final long HISTORY_RESULT_BYTES = 256L << 20;
    /** Whom a task without an account runs for in the queue: nobody's share. */
    static final String ANONYMOUS = "(anonymous)";
    /** Grace beyond a fragment's own limit before the harbor gives up on an unresponsive node. */
    private static final long TRANSPORT_SLACK_MS = 30_000;

    private final Ignite ignite;
    private final IgniteLogger log;
    private final String harborName;
    private final long maxTimeoutMs;
    private final LongSupplier nanoTime;
    private final IgnitePredicate<Event> topologyListener;
    /**
     * Nodes a send failed on because they left, while discovery still lists them (a node that stops shows for a
     * moment after its last job failed): no fragment goes there again, else a retry could pick the same free core
     * over and over and use up a fragment's attempts in milliseconds. Until it leaves; under {@link #lock}.
     */
    private final Set<UUID> leaving = new HashSet<>();
    private final ShareOffers offers;
    private final TaskAccounting accounting;
    /** Contributors' PU per core as this harbor measured it: placement, supply and reported work use it, never the claim. */
    private final NodeSpeeds speeds;
    private final SpeedProbes probes;
    /** Which bundles each contributor holds, as far as this harbor knows: a fragment carries its bundle's bytes only when unknown. */
    private final BundleDelivery deliveries = new BundleDelivery();

    private final Object lock = new Object();
    private final RatioEngine ratio;
    private final Clock clock;
    private final FairQueue<Fragment> queue;
    private final Map<UUID, Integer> runningPerNode = new HashMap<>();
    /** Cores that a speed probe holds, per node: busy like a fragment's, but not a submitter's work. */
    private final Map<UUID, Integer> probingPerNode = new HashMap<>();
    private final Map<String, TaskRun> tasks = new LinkedHashMap<>();
    /** Finished tasks, oldest first, for status and await by id; bounded by {@link #HISTORY} and {@link #HISTORY_RESULT_BYTES}. */
    private final Map<String, TaskRun> finished = new LinkedHashMap<>();
    /** The result bytes that {@link #finished} holds. */
    private long finishedBytes;
    private int running;
    private boolean stopped;
    /** Moving average of an accepted fragment's work, PU-seconds; feeds the estimate. */
    private double recentFragmentPuSeconds;
    /** Fragments submitted since the last {@link #tick}: the arriving part of demand. */
    private long arrivedSinceTick;
    private Instant lastTick;

    /** A scheduler that tells {@code accounting} what its tasks do (escrow, payment per fragment, refund) and orders work by {@code ratio}. */
    public FragmentScheduler(Ignite ignite, String harborName, long maxTimeoutMs, TaskAccounting accounting, RatioEngine ratio) {
        this(ignite, harborName, maxTimeoutMs, accounting, ratio, new NodeSpeeds(), SpeedProbeOptions.DEFAULTS);
    }

    /** As above, with the harbor's measured speeds (shared with its credit accounting) and how they are measured. */
    public FragmentScheduler(Ignite ignite, String harborName, long maxTimeoutMs, TaskAccounting accounting, RatioEngine ratio,
                             NodeSpeeds speeds, SpeedProbeOptions probeOptions) {
        this(ignite, harborName, maxTimeoutMs, accounting, ratio, System::nanoTime, Clock.systemUTC(), speeds, probeOptions);
    }

    FragmentScheduler(Ignite ignite, String harborName, long maxTimeoutMs, TaskAccounting accounting, RatioEngine ratio,
                      LongSupplier nanoTime, Clock clock, NodeSpeeds speeds, SpeedProbeOptions probeOptions) {
        this.speeds = speeds;
        this.probes = new SpeedProbes(ignite, harborName, maxTimeoutMs, probeOptions, speeds, nanoTime, this::dispatch);
        this.accounting = accounting;
        this.ignite = ignite;
        this.ratio = ratio;
        this.clock = clock;
        this.queue = new FairQueue<>(ratio);
        this.lastTick = clock.instant();
        this.log = ignite.log().getLogger(FragmentScheduler.class);
        this.harborName = harborName;
        this.maxTimeoutMs = maxTimeoutMs;
        this.nanoTime = nanoTime;
        this.offers = ShareOffers.listen(ignite, this::dispatch);
        this.topologyListener = evt -> {
            if (evt.type() != EventType.EVT_NODE_JOINED && evt instanceof DiscoveryEvent d) {
                offers.forget(d.eventNode().id());
                deliveries.forget(d.eventNode().id());
                synchronized (lock) {
                    probes.forget(d.eventNode().id());
                    leaving.remove(d.eventNode().id());
                }
            }
            onTopologyChanged();
            return true;
        };
        // A task that waited for escrow room (a top-up, credit that arrived) may send fragments again.
        accounting.onEscrowGrown(this::dispatch);
        // Discovery events are always recorded for local listeners.
        ignite.events().localListen(topologyListener, EventType.EVT_NODE_JOINED, EventType.EVT_NODE_LEFT, EventType.EVT_NODE_FAILED);
    }

    /**
     * Accepts a task: each closure becomes a fragment. The future completes with the results in
     * fragment order, or with an error; it never completes exceptionally.
     *
     * @param timeoutMs wall-clock limit of one fragment; capped by the harbor's limit
     */
    public Accepted submit(String account, Bundle bundle, List<byte[]> closures, long timeoutMs) {
        TaskRun task = new TaskRun(UUID.randomUUID().toString(), account, closures.size());
        Accepted accepted = new Accepted(task.id, task.future);
        if (closures.isEmpty()) {
            task.future.complete(new SubmitResult(task.id, List.of(), null));
            return accepted;
        }
        long limit = timeoutMs <= 0 ? maxTimeoutMs : Math.min(timeoutMs, maxTimeoutMs);
        // Credit before anything is queued, outside the lock (a ledger transaction). Without contributors the
        // check below refuses the task with NO_CONTRIBUTORS, and nothing is held for it.
        if (!contributors().isEmpty()) {
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
            if (contributors().isEmpty()) {
                failedNow(task, new PtorrentException(ErrorCode.NO_CONTRIBUTORS,
                        "no contributor node of harbor '" + harborName + "' is in the grid"));
                return accepted;
            }
            tasks.put(task.id, task);
            for (int i = 0; i < closures.size(); i++) {
                enqueue(new Fragment(task, i, bundle, closures.get(i), limit));
            }
            arrivedSinceTick += closures.size();
        }
        dispatch();
        return accepted;
    }

    /**
     * A task the scheduler took.
     *
     * @param taskId the task's id, for {@link #cancel(String)}
     * @param result completes with the results or an error; never exceptionally
     */
    public record Accepted(String taskId, CompletableFuture<SubmitResult> result) {
    }

    /** Cancels a task: its queued fragments are dropped, and its running ones are cancelled on their contributors. */
    public void cancel(String taskId) {
        fail(taskId, new PtorrentException(ErrorCode.TASK_CANCELLED, "task " + taskId + " was cancelled"));
    }

    /**
     * Ends an open task with {@code reason} (a cancel, a timeout), as {@link #cancel} does.
     *
     * @return false if no open task has that id (unknown or already finished)
     */
    public boolean fail(String taskId, PtorrentException reason) {
        TaskRun task;
        synchronized (lock) {
            task = tasks.get(taskId);
        }
        if (task == null) {
            return false;
        }
        finish(task, reason);
        return true;
    }

    /**
     * A task's state: {@code QUEUED}, {@code RUNNING} (or {@code PAUSED_NO_CREDIT} while its account cannot pay for
     * its next fragment and nothing of it runs), then {@code SUCCEEDED}, {@code FAILED} or {@code CANCELLED}.
     */
    public enum TaskState {
        QUEUED, RUNNING, PAUSED_NO_CREDIT, SUCCEEDED, FAILED, CANCELLED;

        public boolean finished() {
            return this == SUCCEEDED || this == FAILED || this == CANCELLED;
        }
    }

    /**
     * A task's progress as this harbor sees it.
     *
     * @param fragmentsDone fragments whose result was accepted
     * @param creditSpent   what the task cost, milli-PU-seconds; known once it has finished (0 before)
     * @param error         why it FAILED or was CANCELLED, or why it is PAUSED_NO_CREDIT and what to do; else null
     * @param result        the whole answer once finished, else null
     * @param changed       completes at the next change of state or progress (already complete once finished)
     */
    public record TaskProgress(String taskId, String account, TaskState state, int fragmentsTotal, int fragmentsDone,
                               long creditSpent, WireError error, SubmitResult result, CompletableFuture<Void> changed) {
    }

    /** A task that is open or among the last {@link #HISTORY} finished ones, else null. */
    public TaskProgress progress(String taskId) {
        TaskRun task;
        CompletableFuture<Void> changed;
        synchronized (lock) {
            task = tasks.get(taskId);
            if (task == null) {
                task = finished.get(taskId);
            }
            if (task == null) {
                return null;
            }
            changed = task.changed;
        }
        SubmitResult r = task.future.getNow(null);
        if (r != null) {
            TaskState state = r.error() == null ? TaskState.SUCCEEDED
                    : ErrorCode.TASK_CANCELLED.name().equals(r.error().code()) ? TaskState.CANCELLED : TaskState.FAILED;
            return new TaskProgress(task.id, task.account, state, task.results.length, task.results.length - task.remaining,
                    r.creditSpent(), r.error(), r, CompletableFuture.completedFuture(null));
        }
        synchronized (lock) {
            int done = task.results.length - task.remaining;
            PtorrentException paused = accounting.pausedForCredit(task.id);
            TaskState state = paused != null ? TaskState.PAUSED_NO_CREDIT
                    : done > 0 || !task.inFlight.isEmpty() ? TaskState.RUNNING : TaskState.QUEUED;
            return new TaskProgress(task.id, task.account, state, task.results.length, done, 0, paused == null ? null : WireError.of(paused), null, changed);
        }
    }

    /** The grid as this harbor sees it now. */
    public GridSnapshot snapshot() {
        Map<UUID, Integer> runningNow;
        int queued;
        int runningTotal;
        double fragmentPu;
        synchronized (lock) {
            runningNow = new HashMap<>(runningPerNode);
            queued = queue.size();
            runningTotal = running;
            fragmentPu = recentFragmentPuSeconds;
        }
        List<NodeInfo> nodes = new ArrayList<>();
        for (ClusterNode n : ignite.cluster().nodes()) {
            NodeRole role = NodeAttributes.role(n);
            if (role == null) {
                continue;
            }
            int cores = NodeAttributes.intAttr(n, NodeAttributes.CORES);
            double measured = speeds.puPerCore(n.id());
            nodes.add(new NodeInfo(n.id().toString(), String.valueOf(n.consistentId()), role, n.attribute(NodeAttributes.HARBOR),
                    cores, sharedCores(n), measured, measured * cores, runningNow.getOrDefault(n.id(), 0),
                    NodeAttributes.doubleAttr(n, NodeAttributes.PU_PER_CORE)));
        }
        nodes.sort(Comparator.comparing(NodeInfo::role).thenComparing(NodeInfo::name));
        return new GridSnapshot(nodes, queued, runningTotal, fragmentPu, ratio.price());
    }

    /** Fails every open task and stops listening; called when the harbor stops. */
    public void stop() {
        List<TaskRun> open;
        synchronized (lock) {
            stopped = true;
            open = new ArrayList<>(tasks.values());
        }
        ignite.events().stopLocalListen(topologyListener);
        offers.stop();
        probes.stop();
        for (TaskRun t : open) {
            finish(t, new PtorrentException(ErrorCode.INTERNAL, "the harbor stopped while the task ran; submit it again"));
        }
    }

    private void onTopologyChanged() {
        Map<TaskRun, PtorrentException> stranded = new LinkedHashMap<>();
        synchronized (lock) {
            List<UUID> present = contributors().stream().map(ClusterNode::id).toList();
            deliveries.retainOnly(present); // a send that raced with a node's leave may have noted it again
            for (TaskRun t : tasks.values()) {
                if (t.queued.isEmpty()) {
                    continue;
                }
                Fragment f = t.queued.iterator().next();
                if (present.isEmpty()) {
                    stranded.put(f.task, new PtorrentException(ErrorCode.NO_CONTRIBUTORS, "every contributor node of harbor '"
                            + harborName + "' left the grid before task " + f.task.id + " finished"));
                } else if (f.task.refusedBy.containsAll(present)) {
                    // The nodes that took this task's work left, and those still here refused it: waiting would be forever.
                    stranded.put(f.task, refusedByAll(f.task));
                }
            }
        }
        stranded.forEach(this::finish);
        dispatch();
    }

    /** Sends queued fragments to contributors with a free shared core, as long as there are both. */
    private void dispatch() {
        List<Map.Entry<Fragment, ClusterNode>> toSend = new ArrayList<>();
        Map<Fragment, Double> shares = new HashMap<>();
        List<ClusterNode> toProbe;
        synchronized (lock) {
            if (stopped) {
                return;
            }
            List<ClusterNode> nodes = contributors();
            // Speed probes first, each on a free core of its own: a node without a measured figure takes no paid work.
            toProbe = probes.due(nodes.stream().filter(n -> sharedCores(n) - busyCores(n.id()) > 0).toList());
            toProbe.forEach(n -> probingPerNode.merge(n.id(), 1, Integer::sum));
        }
        toProbe.forEach(n -> probes.send(n, lock, () -> probeDone(n.id())));
        synchronized (lock) {
            if (stopped || queue.size() == 0) {
                return;
            }
            List<ClusterNode> nodes = contributors();
            int free = freeCores(nodes);
            while (free > 0) {
                // The queue asks per fragment: one that no free node takes (share rules refuse its task)
                // keeps its place and does not hold back the fragments behind it.
                // A fragment goes out only with room for its worst case in its task's escrow (reserved here).
                Fragment f = queue.poll(candidate -> pick(candidate, nodes) != null && accounting.reserveFragment(candidate.task.id));
                if (f == null) {
                    break;
                }
                ClusterNode node = pick(f, nodes);
                f.task.queued.remove(f);
                free--;
                running++;
                runningPerNode.merge(node.id(), 1, Integer::sum);
                f.attempts++;
                f.triedOn.add(node.id());
                f.startNanos = nanoTime.getAsLong();
                toSend.add(Map.entry(f, node));
                shares.put(f, queue.entitlements().share(f.task.account()));
            }
        }
        for (Map.Entry<Fragment, ClusterNode> e : toSend) {
            send(e.getKey(), e.getValue(), shares.get(e.getKey()));
        }
    }

    /** A speed probe's core is free again. */
    private void probeDone(UUID node) {
        synchronized (lock) {
            probingPerNode.computeIfPresent(node, (k, v) -> v <= 1 ? null : v - 1);
        }
        dispatch();
    }

    /** The node's cores busy with this harbor's fragments and probes; under the lock. */
    private int busyCores(UUID node) {
        return runningPerNode.getOrDefault(node, 0) + probingPerNode.getOrDefault(node, 0);
    }

    /**
     * How this harbor's fragments brought their bundles, since it started.
     *
     * @param withBytes fragments that carried their bundle's bytes (a node's first of that bundle, or after a miss)
     * @param byHash    fragments that named their bundle by SHA-256 only
     * @param missing   of those, the ones a node answered BUNDLE_MISSING (sent again with the bytes, no attempt used)
     */
    public record BundleSends(long withBytes, long byHash, long missing) {
    }

    /** How this harbor's fragments brought their bundles, since it started. */
    public BundleSends bundleSends() {
        return deliveries.totals();
    }

    /** Fragments of this harbor that carried bundle bytes to {@code node} while it has been in the grid. */
    public long bundleSendsWithBytes(UUID node) {
        return deliveries.sentWithBytes(node);
    }

    /** Contributors' PU per core as this harbor measured it. */
    public NodeSpeeds speeds() {
        return speeds;
    }

    /**
     * An account's standing on this harbor now.
     *
     * @param entitlement the share of the grid it would get under contention if it submitted now: among the
     *                    accounts with work here plus itself (0..1; 0 for a free rider, who runs on what nobody
     *                    entitled wants)
     * @param weight      what the share comes from: decayed contribution plus balance at the price, milli-PU-s
     * @param price       credits one PU-second costs now, set from the forecast of supply and demand
     */
    public record Standing(double entitlement, double weight, double price) {
    }

    /** The account's standing now (it need not have work queued). */
    public Standing standing(String account) {
        Set<String> competing;
        synchronized (lock) {
            competing = new HashSet<>(queue.accounts());
        }
        competing.add(account);
        return new Standing(ratio.entitlements(competing).share(account), ratio.weight(account), ratio.price());
    }

    /** Queues a fragment behind its account's others; under the lock. */
    private void enqueue(Fragment f) {
        queue.add(f.task.account(), f);
        f.task.queued.add(f);
    }

    /**
     * Closes one interval: gives the ratio engine the PU the contributors offered and the PU the work asked
     * for (queued, running and arrived fragments at the recent fragment size, over the interval), and
     * refreshes the queue's shares. Called by the plugin's timer once per {@code RatioConfiguration}
     * interval; tests call it directly.
     */
    public void tick() {
        Instant now = clock.instant();
        double supply = 0;
        double demand;
        synchronized (lock) {
            if (stopped) {
                return;
            }
            for (ClusterNode n : contributors()) {
                supply += sharedCores(n) * speeds.puPerCore(n.id());
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

    private int freeCores(List<ClusterNode> nodes) {
        int free = 0;
        for (ClusterNode n : nodes) {
            free += Math.max(0, sharedCores(n) - busyCores(n.id()));
        }
        return free;
    }

    /** The contributor with a free core and the most free PU, among the nodes the fragment has not failed on while there are any. */
    private ClusterNode pick(Fragment f, List<ClusterNode> nodes) {
        ClusterNode best = null;
        double bestScore = -1;
        // A fragment that failed on a node waits for one it has not failed on, while there is such a node (busy or
        // not): a stopping node answers at once, and its free core would otherwise take every retry (CreditGridIT).
        boolean untriedLeft = nodes.stream().anyMatch(n -> !f.triedOn.contains(n.id()) && !f.task.refusedBy.contains(n.id())
                && !leaving.contains(n.id()));
        for (ClusterNode n : nodes) {
            if (f.task.refusedBy.contains(n.id()) || leaving.contains(n.id()) || untriedLeft && f.triedOn.contains(n.id())) {
                continue;
            }
            int free = sharedCores(n) - busyCores(n.id());
            double pu = speeds.puPerCore(n.id());
            if (free <= 0 || pu <= 0) {
                continue; // no free core, or not measured yet (or its last answers were wrong): no paid work
            }
            double score = free * pu;
            if (score > bestScore) {
                best = n;
                bestScore = score;
            }
        }
        return best;
    }

    /** The cores a node shares now: its latest offer, else what it said when it joined. */
    private int sharedCores(ClusterNode n) {
        return offers.offer(n.id(), NodeAttributes.intAttr(n, NodeAttributes.SHARED_CORES));
    }

    private List<ClusterNode> contributors() {
        List<ClusterNode> out = new ArrayList<>();
        for (ClusterNode n : ignite.cluster().forClients().nodes()) {
            if (NodeAttributes.isContributor(n) && harborName.equals(n.attribute(NodeAttributes.HARBOR))) {
                out.add(n);
            }
        }
        return out;
    }

    private void send(Fragment f, ClusterNode node, double share) {
        boolean carry = deliveries.mustCarry(node.id(), f.bundle.sha256());
        // A batch of one piece for now (the batch contract of issue 10: the pipelined scheduler sends more).
        FragmentJob job = FragmentJob.batch(f.task.id, f.task.account, harborName, f.bundle, carry,
                List.of(new FragmentJob.Piece(f.index, f.closure)), f.timeoutMs, share);
        IgniteFuture<BatchOutcome> fut;
        try {
            // As the harbor, whatever thread sends: a gateway job runs in its thin client's context, a discovery
            // event in the event node's, and neither may execute a fragment task.
            fut = Caller.asHarbor(ignite, () -> ignite.compute(ignite.cluster().forNodeId(node.id()))
                    .withNoFailover()
                    .withTimeout(f.timeoutMs + TRANSPORT_SLACK_MS)
                    .executeAsync(new OneNodeTask<BatchOutcome>(), job));
        } catch (RuntimeException e) {
            onDone(f, node.id(), carry, null, e);
            return;
        }
        boolean cancelled;
        synchronized (lock) {
            cancelled = f.task.done;
            if (!cancelled) {
                f.task.inFlight.put(f, fut);
            }
        }
        if (cancelled) {
            // The task ended while this fragment was being sent: stop it on the contributor.
            fut.cancel();
        }
        fut.listen(done -> {
            FragmentOutcome outcome = null;
            Throwable error = null;
            try {
                BatchOutcome batch = done.get();
                if (batch == null || batch.outcomes().size() != 1) {
                    throw new IllegalStateException("the node answered a batch of 1 with "
                            + (batch == null ? "nothing" : batch.outcomes().size() + " outcomes"));
                }
                outcome = batch.outcomes().get(0);
            } catch (RuntimeException e) {
                error = e;
            }
            onDone(f, node.id(), carry, outcome, error);
        });
    }

    /** @param carried whether the fragment carried its bundle's bytes */
    private void onDone(Fragment f, UUID nodeId, boolean carried, FragmentOutcome outcome, Throwable error) {
        deliveries.answered(nodeId, f.bundle.sha256(), carried, outcome);
        long millis = (nanoTime.getAsLong() - f.startNanos) / 1_000_000;
        PtorrentException failure = null;
        SubmitResult success = null;
        boolean accepted = false;
        synchronized (lock) {
            running--;
            runningPerNode.computeIfPresent(nodeId, (k, v) -> v <= 1 ? null : v - 1);
            TaskRun task = f.task;
            task.inFlight.remove(f);
            ClusterNode ranOn = ignite.cluster().node(nodeId);
            double pu = millis / 1000.0 * (ranOn == null ? 1.0 : speeds.puPerCore(nodeId));
            // What the account received: only accepted work counts against its share; a node's fault costs it nothing.
            queue.onCompleted(task.account(), error == null && outcome.isOk() ? pu : 0);
            if (task.done) {
                // Cancelled or failed meanwhile: the result is dropped.
            } else if (error == null && ErrorCode.REFUSED_BY_RULES.name().equals(outcome.errorCode())) {
                // The owner does not take this task's work: never send it there again; no attempt is used up.
                task.refusedBy.add(nodeId);
                f.attempts--;
                if (task.refusedBy.containsAll(contributors().stream().map(ClusterNode::id).toList())) {
                    failure = refusedByAll(task);
                } else {
                    enqueue(f);
                }
            } else if (error == null && outcome.isNotRun()) {
                // The node never started it (cancelled or handed back, stopping, rules changed): no attempt used up.
                f.attempts--;
                enqueue(f);
            } else if (error == null && outcome.isBundleMissing() && !carried) {
                // The node lacked the bundle it was named by hash (evicted, or this fragment overtook the one with the
                // bytes): not a failure, no attempt used up; the next send carries the bytes (BundleDelivery).
                f.attempts--;
                enqueue(f);
            } else if (error != null || !outcome.isOk() && isNodesFault(outcome.errorCode())) {
                if (error instanceof ClusterTopologyException && ignite.cluster().node(nodeId) != null) {
                    leaving.add(nodeId);
                }
                String why = error != null ? describe(error) : outcome.errorMessage();
                if (f.attempts < MAX_ATTEMPTS) {
                    log.info("fragment " + task.id + "/" + f.index + " failed on node " + nodeId + " (" + why + "); trying again elsewhere");
                    enqueue(f);
                } else {
                    failure = new PtorrentException(ErrorCode.RETRIES_EXHAUSTED,
                            "fragment " + f.index + " of task " + task.id + " failed " + f.attempts + " times; last: " + why);
                }
            } else if (!outcome.isOk()) {
                failure = new WireError(outcome.errorCode(), "fragment " + f.index + ": " + outcome.errorMessage()).toException();
            } else {
                task.results[f.index] = new FragmentResult(f.index, nodeId.toString(), outcome.value(), millis);
                accounting.onFragmentAccepted(task.id, f.index, ranOn, millis);
                accepted = true;
                // An exponential moving average: recent fragments say most about the next ones.
                recentFragmentPuSeconds = recentFragmentPuSeconds == 0 ? pu : 0.8 * recentFragmentPuSeconds + 0.2 * pu;
                if (--task.remaining == 0) {
                    success = new SubmitResult(task.id, List.of(task.results), null);
                }
                changedLocked(task);
            }
            if (!accepted) {
                accounting.onFragmentReleased(task.id);
            }
        }
        if (failure != null) {
            finish(f.task, failure);
        } else if (success != null) {
            complete(f.task, success);
        }
        dispatch();
    }

    private PtorrentException refusedByAll(TaskRun task) {
        return new PtorrentException(ErrorCode.REFUSED_BY_RULES, "no contributor of harbor '" + harborName + "' accepts the work of task "
                + task.id + " now (their share rules name whom they work for); submit again later or to another harbor");
    }

    /**
     * Whether a contributor's error code blames the node rather than the closure: then the fragment runs
     * again elsewhere. INTERNAL: the sandbox broke; TASK_CANCELLED: the node stopped the fragment because
     * it is shutting down (only the harbor cancels for the submitter, and then the result is ignored anyway);
     * REFUSED_BY_RULES: the owner does not take this work, another node may; BUNDLE_MISSING to a fragment that
     * carried the bundle: the node says what cannot be.
     */
    private static boolean isNodesFault(String code) {
        return ErrorCode.INTERNAL.name().equals(code) || ErrorCode.TASK_CANCELLED.name().equals(code)
                || ErrorCode.REFUSED_BY_RULES.name().equals(code) || FragmentOutcome.BUNDLE_MISSING.equals(code);
    }

    private static String describe(Throwable error) {
        if (error instanceof ClusterTopologyException) {
            return "the node left the grid";
        }
        return error.getClass().getSimpleName() + ": " + error.getMessage();
    }

    private void finish(TaskRun task, PtorrentException failure) {
        List<IgniteFuture<BatchOutcome>> toCancel;
        synchronized (lock) {
            if (task.done) {
                return;
            }
            task.done = true;
            tasks.remove(task.id);
            rememberLocked(task);
            for (Fragment f : task.queued) {
                queue.remove(task.account(), f);
            }
            task.queued.clear();
            toCancel = new ArrayList<>(task.inFlight.values());
        }
        // Running fragments stop on their contributors (the sandbox kills the worker); their outcomes are dropped.
        for (IgniteFuture<BatchOutcome> fut : toCancel) {
            try {
                fut.cancel();
            } catch (RuntimeException e) {
                log.info("cannot cancel a fragment of task " + task.id + ": " + e.getMessage());
            }
        }
        ended(task, new SubmitResult(task.id, List.of(), WireError.of(failure)));
    }

    private void complete(TaskRun task, SubmitResult result) {
        synchronized (lock) {
            task.done = true;
            tasks.remove(task.id);
            for (FragmentResult r : task.results) {
                task.resultBytes += r.value() == null ? 0 : r.value().length;
            }
            rememberLocked(task);
        }
        ended(task, result);
    }

    /** Keeps a finished task queryable, forgetting the oldest past the bounds; under the lock. */
    private void rememberLocked(TaskRun task) {
        finished.put(task.id, task);
        finishedBytes += task.resultBytes;
        var it = finished.values().iterator();
        while ((finished.size() > HISTORY || finishedBytes > HISTORY_RESULT_BYTES) && it.hasNext()) {
            TaskRun oldest = it.next();
            if (oldest == task) {
                break;
            }
            finishedBytes -= oldest.resultBytes;
            it.remove();
        }
    }

    /** Wakes whoever waits on the task's progress; under the lock (the waiters run on Ignite's pool, not here). */
    private void changedLocked(TaskRun task) {
        CompletableFuture<Void> old = task.changed;
        task.changed = new CompletableFuture<>();
        ForkJoinPool.commonPool().execute(() -> old.complete(null));
    }

    private void failedNow(TaskRun task, PtorrentException e) {
        synchronized (lock) {
            task.done = true;
            rememberLocked(task);
        }
        ended(task, new SubmitResult(task.id, List.of(), WireError.of(e)));
    }

    /** Completes the task's future once its accounting has ended (the rest of its escrow refunded). */
    private void ended(TaskRun task, SubmitResult result) {
        accounting.onTaskEnded(task.id).whenComplete((spent, e) -> {
            task.future.complete(result.withCreditSpent(spent == null ? 0 : spent));
            CompletableFuture<Void> last;
            synchronized (lock) {
                last = task.changed;
            }
            last.complete(null);
        });
    }

    private static final class TaskRun {
        final String id;
        final String account;
        /** Its fragments waiting in the queue (not running): what a cancel takes out. */
        final Set<Fragment> queued = new LinkedHashSet<>();
        final FragmentResult[] results;
        /** Contributors whose share rules refused this task's work. */
        final Set<UUID> refusedBy = new HashSet<>();
        final CompletableFuture<SubmitResult> future = new CompletableFuture<>();
        /** Its fragments out on contributors, to cancel when the task ends early. */
        final Map<Fragment, IgniteFuture<BatchOutcome>> inFlight = new HashMap<>();
        /** Completes at the next change of progress, then is replaced. */
        CompletableFuture<Void> changed = new CompletableFuture<>();
        int remaining;
        boolean done;
        /** The size of its results, once it has succeeded. */
        long resultBytes;

        /** The account the queue orders the task's work by; a task without one runs as an anonymous free rider. */
        String account() {
            return account == null ? ANONYMOUS : account;
        }

        TaskRun(String id, String account, int fragments) {
            this.id = id;
            this.account = account;
            this.results = new FragmentResult[fragments];
            this.remaining = fragments;
        }
    }

    private static final class Fragment {
        final TaskRun task;
        final int index;
        final Bundle bundle;
        final byte[] closure;
        final long timeoutMs;
        final Set<UUID> triedOn = new HashSet<>();
        int attempts;
        long startNanos;

        Fragment(TaskRun task, int index, Bundle bundle, byte[] closure, long timeoutMs) {
            this.task = task;
            this.index = index;
            this.bundle = bundle;
            this.closure = closure;
            this.timeoutMs = timeoutMs;
        }
    }
}
