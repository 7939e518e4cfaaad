package io.ptorrent.plugin.scheduler;

import java.util.List;

/**
 * Where the next batch goes: the seam for learned load balancing (issue 12 fills it with an Ignite
 * {@code LoadBalancingSpi}); {@link #FREE_CAPACITY} is the plain default.
 *
 * <p>The scheduler asks only among candidates that may take the fragment now: measured, with room in their window,
 * and allowed by the failover policy (not refused by the owner's rules, not leaving, untried first). Called under the
 * scheduler's lock, once or twice per batch: must be fast and must not block.
 */
interface Placement {
    /**
     * @param candidates never empty
     * @return one of {@code candidates}
     */
    Candidate place(Request request, List<Candidate> candidates);

    /** What is placed: the first fragment of a batch. */
    record Request(String taskId, String account, int fragment) {
    }

    /**
     * A node that could take the batch.
     *
     * @param room batches it can take before its window is full (at least 1)
     */
    record Candidate(Topology.Contributor node, int room) {
    }

    /** The node with the most free PU (room × measured PU per core); the first such in topology order on a tie. */
    Placement FREE_CAPACITY = (request, candidates) -> {
        Candidate best = candidates.get(0);
        double bestScore = -1;
        for (Candidate c : candidates) {
            double score = c.room() * c.node().puPerCore();
            if (score > bestScore) {
                best = c;
                bestScore = score;
            }
        }
        return best;
    };
}
