package io.ptorrent.plugin;

import java.util.List;

/**
 * The grid as one harbor sees it at one moment: every ptorrent node, and the harbor's fragment queue.
 *
 * @param nodes                   every node with the ptorrent plugin, harbors first
 * @param queuedFragments         fragments accepted by this harbor and waiting for a free shared core
 * @param runningFragments        fragments this harbor has sent to contributors and not yet got back
 * @param recentFragmentPuSeconds the work of a recent fragment, PU-seconds (a moving average; 0 before any)
 * @param pricePerPuSecond        credits a PU-second costs now (the ratio engine's price; 1 where there is none)
 */
public record GridSnapshot(List<NodeInfo> nodes, int queuedFragments, int runningFragments, double recentFragmentPuSeconds,
                           double pricePerPuSecond) {
    public GridSnapshot {
        nodes = List.copyOf(nodes);
    }

    /** A snapshot at the plain price of one credit per PU-second. */
    public GridSnapshot(List<NodeInfo> nodes, int queuedFragments, int runningFragments, double recentFragmentPuSeconds) {
        this(nodes, queuedFragments, runningFragments, recentFragmentPuSeconds, Estimate.PLAIN_PRICE);
    }

    /** A snapshot with no fragment history. */
    public GridSnapshot(List<NodeInfo> nodes, int queuedFragments, int runningFragments) {
        this(nodes, queuedFragments, runningFragments, 0);
    }

    /** Capacity per harbor: each contributor counts for the harbor it joined, in harbor-name order. */
    public List<HarborCapacity> perHarbor() {
        java.util.Map<String, double[]> byHarbor = new java.util.TreeMap<>();
        for (NodeInfo n : nodes) {
            double[] sums = byHarbor.computeIfAbsent(n.harbor(), h -> new double[3]);
            if (n.role() == NodeRole.CONTRIBUTOR) {
                sums[0]++;
                sums[1] += n.sharedPu();
                sums[2] += n.freePu();
            }
        }
        return byHarbor.entrySet().stream()
                .map(e -> new HarborCapacity(e.getKey(), (int) e.getValue()[0], e.getValue()[1], e.getValue()[2])).toList();
    }

    /**
     * One harbor's share of the grid.
     *
     * @param harbor       the harbor's name
     * @param contributors contributor nodes of that harbor
     * @param capacityPu   PU they share
     * @param freePu       shared PU not busy now
     */
    public record HarborCapacity(String harbor, int contributors, double capacityPu, double freePu) {
    }

    public long harbors() {
        return nodes.stream().filter(n -> n.role() == NodeRole.HARBOR).count();
    }

    public long contributors() {
        return nodes.stream().filter(n -> n.role() == NodeRole.CONTRIBUTOR).count();
    }

    /** PU that contributors share with the grid in total. */
    public double capacityPu() {
        return nodes.stream().filter(n -> n.role() == NodeRole.CONTRIBUTOR).mapToDouble(NodeInfo::sharedPu).sum();
    }

    /** Shared PU not busy with a fragment right now. */
    public double freePu() {
        return nodes.stream().filter(n -> n.role() == NodeRole.CONTRIBUTOR).mapToDouble(NodeInfo::freePu).sum();
    }

    /**
     * One node.
     *
     * @param id               the Ignite node id
     * @param name             the node's consistent id (a readable name where the config gives one)
     * @param role             harbor or contributor
     * @param harbor           the harbor the node belongs to
     * @param cores            the machine's cores
     * @param sharedCores      cores the node shares (0 for harbors: they never run fragments)
     * @param puPerCore        PU of one core as the harbor measured it (0 until it has: then it takes no paid work)
     * @param puScore          the machine's PU as the harbor measured it ({@code puPerCore × cores})
     * @param runningFragments fragments running on it now, as this harbor counts them
     * @param claimedPuPerCore PU of one core as the node's own benchmark says: its claim, shown, never paid
     */
    public record NodeInfo(String id, String name, NodeRole role, String harbor, int cores, int sharedCores,
                           double puPerCore, double puScore, int runningFragments, double claimedPuPerCore) {
        /** A node whose claim is what the harbor measured. */
        public NodeInfo(String id, String name, NodeRole role, String harbor, int cores, int sharedCores,
                        double puPerCore, double puScore, int runningFragments) {
            this(id, name, role, harbor, cores, sharedCores, puPerCore, puScore, runningFragments, puPerCore);
        }

        public double sharedPu() {
            return sharedCores * puPerCore;
        }

        public double freePu() {
            return Math.max(0, sharedCores - runningFragments) * puPerCore;
        }
    }
}
