package io.ptorrent.plugin.scheduler;

import io.ptorrent.plugin.OneNodeTask;
import io.ptorrent.plugin.security.Caller;
import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.ClusterTopologyException;
import org.apache.ignite.compute.ComputeExecutionRejectedException;
import org.apache.ignite.lang.IgniteFuture;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * {@link FragmentTransport} on Ignite compute: one {@link OneNodeTask} with a {@link FragmentJob} per batch, aimed at the
 * node, without Ignite's failover (the scheduler's {@link FailoverPolicy} decides), sent as the harbor.
 */
final class IgniteFragmentTransport implements FragmentTransport {
    /** Grace beyond a batch's own limits before the harbor gives up on an unresponsive node. */
    static final long TRANSPORT_SLACK_MS = 30_000;

    private final Ignite ignite;
    private final String harborName;
    /** Batches a node may hold queued ahead of a new one on the same core: the limit covers their run too. */
    private final int depth;

    IgniteFragmentTransport(Ignite ignite, String harborName, int depth) {
        this.ignite = ignite;
        this.harborName = harborName;
        this.depth = depth;
    }

    @Override
    public CompletableFuture<BatchReply> send(UUID node, Batch batch) {
        List<FragmentJob.Piece> pieces = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            pieces.add(new FragmentJob.Piece(batch.indexes().get(i), batch.closures().get(i)));
        }
        FragmentJob job = FragmentJob.batch(batch.taskId(), batch.account(), harborName, batch.bundle(), batch.withBytes(), pieces,
                batch.timeoutMs(), batch.share());
        long limit = Math.multiplyExact(batch.timeoutMs(), (long) batch.size() * depth) + TRANSPORT_SLACK_MS;
        // As the harbor, whatever thread sends: a gateway job runs in its thin client's context, a discovery event in
        // the event node's, and neither may execute a fragment task.
        IgniteFuture<BatchOutcome> fut = Caller.asHarbor(ignite, () -> ignite.compute(ignite.cluster().forNodeId(node))
                .withNoFailover()
                .withTimeout(limit)
                .executeAsync(new OneNodeTask<BatchOutcome>(), job));
        CompletableFuture<BatchReply> out = new CompletableFuture<>();
        out.whenComplete((r, e) -> {
            if (out.isCancelled()) {
                fut.cancel(); // the scheduler stops the batch: the node's job is cancelled, its worker killed
            }
        });
        fut.listen(done -> {
            try {
                BatchOutcome o = done.get();
                if (o == null) {
                    throw new IllegalStateException("the node answered nothing for a batch of " + batch.size());
                }
                List<Long> millis = new ArrayList<>(o.outcomes().size());
                for (FragmentOutcome f : o.outcomes()) {
                    millis.add(f.nodeMillis());
                }
                out.complete(new BatchReply(o.outcomes(), millis, o.bundleHeld()));
            } catch (RuntimeException e) {
                out.completeExceptionally(translate(e));
            }
        });
        return out;
    }

    private static Throwable translate(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ClusterTopologyException) {
                return new NodeLeftException("the node left the grid");
            }
            if (t instanceof ComputeExecutionRejectedException) {
                // The node's admission cancelled the batch in its queue (its owner took cores back): it never started.
                return new NotRunException("the node gave the batch back unstarted: " + t.getMessage());
            }
        }
        return e;
    }
}
