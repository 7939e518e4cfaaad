package io.ptorrent.plugin.scheduler;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import io.ptorrent.client.bundle.Bundle;
import io.ptorrent.client.wire.SubmitResult;
import io.ptorrent.client.wire.WireError;
import io.ptorrent.credit.ratio.RatioEngine;
import io.ptorrent.plugin.GridSnapshot;
import io.ptorrent.plugin.GridSnapshot.NodeInfo;
import io.ptorrent.plugin.NodeAttributes;
import io.ptorrent.plugin.NodeRole;
import io.ptorrent.plugin.admission.ShareOffers;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.events.DiscoveryEvent;
import org.apache.ignite.events.Event;
import org.apache.ignite.events.EventType;
import org.apache.ignite.lang.IgnitePredicate;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.function.LongSupplier;

/**
 * The harbor's fragment scheduler: a queue of fragments and the shared cores of this harbor's contributors. This
 * class is its Ignite face: it wires {@link SchedulerCore} (the decisions, without Ignite) to Ignite through the
 * core's ports ({@link IgniteTopology}, {@link IgniteFragmentTransport}, the clock), listens to discovery, sends the
 * speed probes ({@link SpeedProbes}) and builds the read models ({@link #snapshot}).
 *
 * <p>Design, in parts (each unit-tested on a fake topology, link and clock):
 * <ul>
 *   <li>{@link SchedulerCore}: the fair queue by account ({@code FairQueue} with the {@link RatioEngine}'s shares),
 *       dispatch of batches of one task's fragments into each contributor's window, their answers, the escrow
 *       reservation per fragment ({@link TaskAccounting#reserveFragment}), supply and demand per interval
 *       ({@link #tick}).</li>
 *   <li>{@link Placement}: which node takes a batch (the seam for learned load balancing); today's default sends it to
 *       the node with the most free PU.</li>
 *   <li>{@link FailoverPolicy}: a fragment whose node leaves, times out or fails internally is queued again, up to
 *       {@link FailoverPolicy#MAX_ATTEMPTS} times, never onto a harbor; one the node gave back unstarted goes again
 *       without using an attempt; a fragment whose closure fails fails its task, which drops its queued fragments.</li>
 *   <li>{@link NodeWindows}: how many batches a node holds at once (a window per shared core, so a core's next batch
 *       waits on the node when its current one ends), how big they are (learned from the node's time per fragment and
 *       the round trip), and what each is paid (per-core lane clocks: never more than shared cores × wall time).</li>
 *   <li>{@link TaskHistory}: open tasks and the last {@link #HISTORY} finished ones.</li>
 * </ul>
 *
 * <p>Speed: a node's PU per core, for placement, supply and reported work, is what this harbor measured
 * ({@link NodeSpeeds}, by {@link SpeedProbes}: benchmark fragments that dispatch sends first, each on a core of the
 * node free of batches); a node not measured yet takes no submitter's fragment.
 *
 * <p>Concurrency: the core's state is guarded by its lock; Ignite calls are made outside it. Futures of tasks are
 * completed outside the lock too. Public methods are thread-safe.
 */
public final class FragmentScheduler {
    /**
     * How many finished tasks stay queryable by id (with their results, until they fall out). Why this many: a
     * submitter hears of its finished tasks only at its next watch, and at 20 tasks/s a history of 256 forgot tasks
     * 13 s after they ended, before a busy client asked (bench/run load: NOT_FOUND); 10,000 keep ~8 minutes of that
     * rate. A finished task keeps its ids and results only; {@link #HISTORY_RESULT_BYTES} bounds the results.
     */
    public static final int HISTORY = 10_000;
    /**
     * The most result bytes finished tasks keep for a late await: past it the oldest finished tasks are
     * forgotten, so that a harbor never holds hundreds of tasks' results (each up to the result cap per fragment).
     */
    public static final long HISTORY_RESULT_BYTES = 256L << 20;

    private final Ignite ignite;
    private final IgniteLogger log;
    private final IgnitePredicate<Event> topologyListener;
    private final ShareOffers offers;
    private final IgniteTopology topology;
    /** Contributors' PU per core as this harbor measured it: placement, supply and reported work use it, never the claim. */
    private final NodeSpeeds speeds;
    private final SpeedProbes probes;
    private final SchedulerCore core;
    private final RatioEngine ratio;

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
        this.ignite = ignite;
        this.ratio = ratio;
        this.speeds = speeds;
        this.log = ignite.log().getLogger(FragmentScheduler.class);
        NodeWindows.Options windows = NodeWindows.Options.DEFAULTS;
        SchedulerCore[] self = new SchedulerCore[1];
        this.offers = ShareOffers.listen(ignite, () -> self[0].dispatch());
        this.topology = new IgniteTopology(ignite, harborName, offers, speeds);
        this.core = new SchedulerCore(harborName, maxTimeoutMs, topology, new IgniteFragmentTransport(ignite, harborName, windows.depth()),
                Placement.FREE_CAPACITY, windows, accounting,
                (taskId, fragment, node, millis) -> accounting.onFragmentAccepted(taskId, fragment, ignite.cluster().node(node), millis),
                ratio, nanoTime, clock, log::info, ForkJoinPool.commonPool());
        self[0] = core;
        this.probes = new SpeedProbes(ignite, harborName, maxTimeoutMs, probeOptions, speeds, nanoTime, core::dispatch);
        core.probes(new SchedulerCore.Probes() {
            @Override
            public List<UUID> due(List<Topology.Contributor> withFreeCore) {
                List<ClusterNode> nodes = new ArrayList<>();
                for (Topology.Contributor c : withFreeCore) {
                    ClusterNode n = ignite.cluster().node(c.id());
                    if (n != null) {
                        nodes.add(n);
                    }
                }
                return probes.due(nodes).stream().map(ClusterNode::id).toList();
            }

            @Override
            public void send(UUID node, Runnable release) {
                ClusterNode n = ignite.cluster().node(node);
                if (n == null) {
                    release.run(); // it left between due and send: its id never comes back, nothing to measure
                } else {
                    probes.send(n, core.lock(), release);
                }
            }

            @Override
            public void forget(UUID node) {
                probes.forget(node);
            }
        });
        this.topologyListener = evt -> {
            if (evt.type() != EventType.EVT_NODE_JOINED && evt instanceof DiscoveryEvent d) {
                offers.forget(d.eventNode().id());
                core.nodeLeft(d.eventNode().id());
            }
            core.topologyChanged();
            return true;
        };
        // A task that waited for escrow room (a top-up, credit that arrived) may send fragments again.
        accounting.onEscrowGrown(core::dispatch);
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
        return core.submit(account, bundle, closures, timeoutMs);
    }

    /**
     * A task the scheduler took.
     *
     * @param taskId the task's id, for {@link #cancel(String)}
     * @param result completes with the results or an error; never exceptionally
     */
    public record Accepted(String taskId, CompletableFuture<SubmitResult> result) {
    }

    /** Cancels a task: its queued fragments are dropped, and its batches out are cancelled on their contributors. */
    public void cancel(String taskId) {
        fail(taskId, new PtorrentException(ErrorCode.TASK_CANCELLED, "task " + taskId + " was cancelled"));
    }

    /**
     * Ends an open task with {@code reason} (a cancel, a timeout), as {@link #cancel} does.
     *
     * @return false if no open task has that id (unknown or already finished)
     */
    public boolean fail(String taskId, PtorrentException reason) {
        return core.fail(taskId, reason);
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
        return core.progress(taskId);
    }

    /** The grid as this harbor sees it now; a node's running fragments are those in its batches out. */
    public GridSnapshot snapshot() {
        SchedulerCore.Load load = core.load();
        List<NodeInfo> nodes = new ArrayList<>();
        for (ClusterNode n : ignite.cluster().nodes()) {
            NodeRole role = NodeAttributes.role(n);
            if (role == null) {
                continue;
            }
            int cores = NodeAttributes.intAttr(n, NodeAttributes.CORES);
            double measured = speeds.puPerCore(n.id());
            nodes.add(new NodeInfo(n.id().toString(), String.valueOf(n.consistentId()), role, n.attribute(NodeAttributes.HARBOR),
                    cores, topology.sharedCores(n), measured, measured * cores, load.runningPerNode().getOrDefault(n.id(), 0),
                    NodeAttributes.doubleAttr(n, NodeAttributes.PU_PER_CORE)));
        }
        nodes.sort(Comparator.comparing(NodeInfo::role).thenComparing(NodeInfo::name));
        return new GridSnapshot(nodes, load.queued(), load.running(), load.recentFragmentPuSeconds(), ratio.price());
    }

    /** Fails every open task and stops listening; called when the harbor stops. */
    public void stop() {
        ignite.events().stopLocalListen(topologyListener);
        offers.stop();
        probes.stop();
        core.stop();
    }

    /**
     * How this harbor's batches of fragments brought their bundles, since it started (counted per batch: a batch
     * carries its bundle once, or names it once).
     *
     * @param withBytes batches that carried their bundle's bytes (a node's first of that bundle, or after a miss)
     * @param byHash    batches that named their bundle by SHA-256 only
     * @param missing   of those, the ones a node answered BUNDLE_MISSING (sent again with the bytes, no attempt used)
     */
    public record BundleSends(long withBytes, long byHash, long missing) {
    }

    /** How this harbor's fragments brought their bundles, since it started. */
    public BundleSends bundleSends() {
        return core.deliveries().totals();
    }

    /** Batches of this harbor that carried bundle bytes to {@code node} while it has been in the grid. */
    public long bundleSendsWithBytes(UUID node) {
        return core.deliveries().sentWithBytes(node);
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
        return core.standing(account);
    }

    /**
     * Closes one interval: gives the ratio engine the PU the contributors offered and the PU the work asked
     * for (queued, running and arrived fragments at the recent fragment size, over the interval), and
     * refreshes the queue's shares. Called by the plugin's timer once per {@code RatioConfiguration}
     * interval; tests call it directly.
     */
    public void tick() {
        core.tick();
    }
}
