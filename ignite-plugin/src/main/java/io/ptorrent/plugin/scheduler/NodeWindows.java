package io.ptorrent.plugin.scheduler;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Per contributor: the window of batches in flight, the size of the next batch, and the harbor's clock of each
 * shared core ("lane") that bounds what a batch is paid (issue 10, part 1).
 *
 * <h2>Design note</h2>
 * <b>Window.</b> A node may have {@code depth × sharedCores} batches in flight: with a depth of 2 a shared core has
 * its next batch queued on the node (in its admission queue, where it counts against no shared core) when the one it
 * runs ends, so it never waits for the harbor. Refilled as results arrive.
 *
 * <p><b>Batch size</b>, learned per node and task: one piece while the task's time per fragment on that node is
 * unknown; then enough pieces that a batch runs for about {@link Options#rttFactor} × the round trip the harbor
 * observes to that node, and at least {@link Options#minBatchMillis}, capped by {@link Options#maxPieces} and by the
 * result-coalescing interval {@link Options#maxBatchMillis} so that results flow back regularly. The time per
 * fragment is the node's claim ({@code nodeMillis}) when it makes one (a liar only mis-sizes its own batches), else
 * what the harbor observed; the round trip is observed on batches that found a lane idle (else the sample would hold
 * queueing on the node): send to answer, minus the node's claimed run time. Both are moving averages.
 *
 * <p><b>Lanes and paid time.</b> The harbor keeps one clock per shared core of the node: the harbor time of the last
 * batch completion on it. A batch that completes at harbor time T, sent at S, takes the lane with the earliest last
 * completion L and is paid at most {@code T - max(S, L)}; L becomes T. A lane's paid intervals never overlap, so a
 * node is never paid more than its shared cores × the harbor's wall time, whatever it claims. When a node shares
 * fewer cores, the lanes that would pay most go first; new lanes start at the time they appear.
 *
 * <p>Not thread-safe: the scheduler calls it under its lock. Time is passed in (harbor nanos).
 */
final class NodeWindows {
    /**
     * How batches are sized and how deep windows are.
     *
     * @param depth          batches in flight per shared core (1: today's one fragment per core, no pipelining)
     * @param maxPieces      the most fragments in one batch (1: no batching)
     * @param minBatchMillis the least a batch should run, once the time per fragment is known
     * @param maxBatchMillis the result-coalescing interval: the most a batch should run
     * @param rttFactor      a batch should run at least this many round trips
     */
    record Options(int depth, int maxPieces, long minBatchMillis, long maxBatchMillis, double rttFactor) {
        /** Pipelined and batched: the harbor's default. */
        static final Options DEFAULTS = new Options(2, 512, 20, 250, 1.5);
        /** One fragment per core at a time, as before issue 10. */
        static final Options UNPIPELINED = new Options(1, 1, 0, 0, 0);

        Options {
            if (depth < 1 || maxPieces < 1 || minBatchMillis < 0 || maxBatchMillis < minBatchMillis || rttFactor < 0) {
                throw new IllegalArgumentException("depth and maxPieces at least 1, 0 <= minBatchMillis <= maxBatchMillis, rttFactor >= 0");
            }
        }
    }

    /** Weight of the newest sample in the moving averages. */
    private static final double SMOOTHING = 0.3;

    private final Options options;
    private final Map<UUID, Node> nodes = new HashMap<>();

    NodeWindows(Options options) {
        this.options = options;
    }

    Options options() {
        return options;
    }

    /** Batches the node can take now, beside {@code probing} cores that speed probes hold. */
    int room(UUID node, int sharedCores, int probing) {
        Node n = nodes.get(node);
        int inFlight = n == null ? 0 : n.inFlight;
        return Math.max(0, options.depth * sharedCores - inFlight - probing);
    }

    /** Batches in flight to the node. */
    int inFlight(UUID node) {
        Node n = nodes.get(node);
        return n == null ? 0 : n.inFlight;
    }

    /** How many pieces the next batch of {@code taskId} to {@code node} should hold (at least 1, at most {@code available}). */
    int batchSize(UUID node, String taskId, int available) {
        Node n = nodes.get(node);
        Double perPiece = n == null ? null : n.perPieceMillis.get(taskId);
        if (perPiece == null || available <= 1) {
            return 1;
        }
        double rtt = Double.isNaN(n.rttMillis) ? 0 : n.rttMillis;
        double target = Math.min(options.maxBatchMillis, Math.max(options.minBatchMillis, options.rttFactor * rtt));
        long pieces = (long) Math.ceil(target / Math.max(perPiece, 0.01));
        return (int) Math.max(1, Math.min(Math.min(pieces, options.maxPieces), available));
    }

    /** A batch goes out now. */
    void sent(UUID node) {
        nodes.computeIfAbsent(node, k -> new Node()).inFlight++;
    }

    /**
     * A batch sent at {@code sentNanos} came back at {@code nowNanos} (answered or not): frees its window slot and
     * closes it on a lane.
     *
     * @param sharedCores what the node shares now (its lanes)
     * @param ran         pieces the node says it ran (0 when it answered nothing or ran none)
     * @param claimedMillis the node's claimed run time of those pieces together
     * @return the harbor-observed time the batch may be paid for, millis
     */
    long completed(UUID node, String taskId, long sentNanos, long nowNanos, int sharedCores, int ran, long claimedMillis) {
        Node n = nodes.get(node);
        if (n == null) {
            return 0; // forgotten meanwhile (the node left)
        }
        n.inFlight = Math.max(0, n.inFlight - 1);
        n.resize(Math.max(1, sharedCores), nowNanos);
        int lane = 0;
        for (int i = 1; i < n.lanes.length; i++) {
            if (n.lanes[i] < n.lanes[lane]) {
                lane = i;
            }
        }
        long from = Math.max(sentNanos, n.lanes[lane]);
        boolean laneWasIdle = sentNanos >= n.lanes[lane];
        long paidMillis = Math.max(0, (nowNanos - from) / 1_000_000);
        if (ran == 0) {
            return 0; // nothing ran: the lane keeps its clock for the batch that did
        }
        n.lanes[lane] = Math.max(n.lanes[lane], nowNanos);
        double observedPerPiece = claimedMillis > 0 ? (double) claimedMillis / ran : (double) paidMillis / ran;
        n.perPieceMillis.merge(taskId, observedPerPiece, (old, x) -> old + SMOOTHING * (x - old));
        if (laneWasIdle) {
            double rtt = Math.max(0, (nowNanos - sentNanos) / 1e6 - claimedMillis);
            n.rttMillis = Double.isNaN(n.rttMillis) ? rtt : n.rttMillis + SMOOTHING * (rtt - n.rttMillis);
        }
        return paidMillis;
    }

    /** The task ended: what was learned of it goes. */
    void forgetTask(String taskId) {
        for (Node n : nodes.values()) {
            n.perPieceMillis.remove(taskId);
        }
    }

    /** The node left. */
    void forget(UUID node) {
        nodes.remove(node);
    }

    /** The round trip learned for the node, millis (NaN while unknown): for tests and read models. */
    double rttMillis(UUID node) {
        Node n = nodes.get(node);
        return n == null ? Double.NaN : n.rttMillis;
    }

    private static final class Node {
        int inFlight;
        double rttMillis = Double.NaN;
        /** Harbor nanos of each lane's last completion; empty until the first completion. */
        long[] lanes = new long[0];
        final Map<String, Double> perPieceMillis = new HashMap<>();

        void resize(int cores, long nowNanos) {
            if (lanes.length == cores) {
                return;
            }
            long[] sorted = lanes.clone();
            Arrays.sort(sorted); // earliest completion (pays most) first: those go first when the node shares fewer cores
            long[] next = new long[cores];
            int keep = Math.min(cores, sorted.length);
            System.arraycopy(sorted, sorted.length - keep, next, 0, keep);
            // New lanes start now: they appear with this completion, and pay nothing before it. The very first lanes of
            // a node start at 0, so the first batches are paid from their send.
            Arrays.fill(next, keep, cores, lanes.length == 0 ? Long.MIN_VALUE : nowNanos);
            lanes = next;
        }
    }
}
