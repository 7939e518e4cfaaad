package io.ptorrent.plugin.scheduler;

import java.util.List;
import java.util.UUID;

/**
 * The scheduler's view of the grid (a port): this harbor's contributors now, what each shares and how fast this harbor
 * measured it. The Ignite adapter reads discovery, the nodes' share offers and {@link NodeSpeeds}; tests pass a fake.
 *
 * <p>Called under the scheduler's lock: must not block (no remote calls).
 */
interface Topology {
    /** This harbor's contributors in the grid now, in a stable order. */
    List<Contributor> contributors();

    /** Whether the node is in the grid now (a contributor or not). */
    boolean present(UUID node);

    /**
     * One contributor as the scheduler sees it.
     *
     * @param sharedCores what it shares now (its latest offer, else what it said when it joined); may be 0
     * @param puPerCore   what this harbor measured, 0 while unmeasured (then it takes no submitter's work)
     */
    record Contributor(UUID id, String name, int sharedCores, double puPerCore) {
    }
}
