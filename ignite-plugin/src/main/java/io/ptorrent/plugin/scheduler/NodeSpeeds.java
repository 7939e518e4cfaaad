package io.ptorrent.plugin.scheduler;

import org.apache.ignite.cluster.ClusterNode;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Contributors' PU per core as this harbor measured it ({@link SpeedProbes}): the one figure that credit,
 * escrow, placement and the grid's supply use. A node's own benchmark result (its {@code puPerCore}
 * attribute) is its claim, shown as such and used for nothing else.
 *
 * <p>A node's figure is the upper median of its last {@value #HISTORY} measurements: a measurement errs
 * only low (everything in the harbor's time that is not the probe's work makes a node look slower, never
 * faster), so of two the higher counts, and of five one stray slow or lucky-for-the-node run moves nothing.
 * A node that was never measured has 0: it gets no paid work until it has a figure.
 *
 * <p>Thread-safe (synchronized); read by the scheduler under its lock and by the credit accounting.
 */
public final class NodeSpeeds {
    /** Measurements a node's figure is taken from. */
    public static final int HISTORY = 5;

    private final Map<UUID, Deque<Double>> history = new HashMap<>();

    /** The node's measured PU per core, 0 if it has none yet (or {@code node} is null). */
    public synchronized double puPerCore(UUID node) {
        Deque<Double> h = node == null ? null : history.get(node);
        if (h == null || h.isEmpty()) {
            return 0;
        }
        double[] sorted = h.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    /** {@link #puPerCore(UUID)} of a node, 0 for null (a node that has left). */
    public double puPerCore(ClusterNode node) {
        return node == null ? 0 : puPerCore(node.id());
    }

    /** The highest measured PU per core among {@code nodes}, 0 if none is measured. */
    public double best(Collection<ClusterNode> nodes) {
        double best = 0;
        for (ClusterNode n : nodes) {
            best = Math.max(best, puPerCore(n));
        }
        return best;
    }

    /** How many measurements the node's figure is taken from now (at most {@value #HISTORY}). */
    public synchronized int measurements(UUID node) {
        Deque<Double> h = history.get(node);
        return h == null ? 0 : h.size();
    }

    /** The node's last measurements, oldest first. */
    public synchronized double[] history(UUID node) {
        Deque<Double> h = history.get(node);
        return h == null ? new double[0] : h.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Adds a measurement: non-negative; 0 for a probe whose answer was wrong. */
    synchronized void record(UUID node, double puPerCore) {
        if (!(puPerCore >= 0) || Double.isInfinite(puPerCore)) {
            throw new IllegalArgumentException("puPerCore must be finite and not negative: " + puPerCore);
        }
        Deque<Double> h = history.computeIfAbsent(node, k -> new ArrayDeque<>());
        h.addLast(puPerCore);
        while (h.size() > HISTORY) {
            h.removeFirst();
        }
    }

    /** Drops a node that left: a node that comes back is measured again. */
    synchronized void forget(UUID node) {
        history.remove(node);
    }

    @Override
    public synchronized String toString() {
        StringBuilder sb = new StringBuilder("NodeSpeeds{");
        history.forEach((k, v) -> sb.append(k).append('=').append(Arrays.toString(v.toArray())).append(' '));
        return sb.append('}').toString();
    }
}
