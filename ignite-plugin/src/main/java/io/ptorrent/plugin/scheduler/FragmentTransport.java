package io.ptorrent.plugin.scheduler;

import io.ptorrent.client.bundle.Bundle;

import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * How the scheduler sends a batch of fragments to one contributor (a port). The Ignite adapter sends one compute job
 * per batch aimed at that node, without Ignite's failover; tests pass a fake link with a fake clock.
 *
 * <p>Contract: {@link #send} never blocks on the node and is called outside the scheduler's lock. The future completes
 * with the node's {@link BatchReply}, or exceptionally: with {@link NodeLeftException} when the node left (or is
 * leaving), {@link NotRunException} when the node gave the batch back before starting it (its admission cancelled it
 * in its queue), or any other exception when the send failed. The scheduler cancels the future ({@code cancel}) to stop
 * the batch on the node (a task cancelled or failed); the adapter passes that on.
 */
interface FragmentTransport {
    CompletableFuture<BatchReply> send(UUID node, Batch batch);

    /**
     * Fragments of one task for one node, run there one after another on one shared core, in this order.
     *
     * @param indexes   the fragments' indexes in their task, one per closure
     * @param withBytes whether the batch carries the bundle's class bytes, or names it by hash only
     * @param timeoutMs the wall-clock limit of each fragment
     * @param share     the account's entitlement when sent: the node's admission order
     */
    record Batch(String taskId, String account, Bundle bundle, boolean withBytes, List<Integer> indexes, List<byte[]> closures,
                 long timeoutMs, double share) {
        public Batch {
            if (indexes.isEmpty() || indexes.size() != closures.size()) {
                throw new IllegalArgumentException("a batch has one closure per index, and at least one");
            }
            Objects.requireNonNull(bundle, "bundle");
        }

        int size() {
            return indexes.size();
        }
    }

    /**
     * What a node answered for a batch.
     *
     * @param outcomes   one per piece, in piece order
     * @param nodeMillis the node's own run time per piece: a claim, used only to split time the harbor observed
     * @param bundleHeld the node holds the batch's bundle now (a hint)
     */
    record BatchReply(List<FragmentOutcome> outcomes, List<Long> nodeMillis, boolean bundleHeld) {
        public BatchReply {
            if (outcomes.size() != nodeMillis.size()) {
                throw new IllegalArgumentException("one run time per outcome");
            }
        }
    }

    /** The node left the grid (or is leaving) before it answered. */
    final class NodeLeftException extends RuntimeException {
        NodeLeftException(String message) {
            super(message, null, false, false);
        }
    }

    /** The node gave the whole batch back before starting any of it. */
    final class NotRunException extends RuntimeException {
        NotRunException(String message) {
            super(message, null, false, false);
        }
    }
}
