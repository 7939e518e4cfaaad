package io.ptorrent.plugin;

import org.apache.ignite.cluster.ClusterNode;

/**
 * The node attributes every ptorrent node publishes when it joins, and how to read them back. Other
 * nodes see them in {@link ClusterNode#attribute(String)}; the harbor schedules from them.
 */
public final class NodeAttributes {
    public static final String ROLE = "ptorrent.role";
    public static final String HARBOR = "ptorrent.harbor";
    public static final String CORES = "ptorrent.cores";
    public static final String SHARED_CORES = "ptorrent.sharedCores";
    /**
     * PU of one of this node's cores, as the node's own benchmark measured it: its claim, shown as such. Credit,
     * escrow and placement use the harbor's measurement ({@code scheduler.NodeSpeeds}), never this.
     */
    public static final String PU_PER_CORE = "ptorrent.puPerCore";
    /** PU of the whole machine: {@link #PU_PER_CORE} times {@link #CORES}. */
    public static final String PU_SCORE = "ptorrent.puScore";
    public static final String ACCOUNT = "ptorrent.account";
    /** Hex SHA-256 of the owner's token: a console checks an owner's bearer token against it. */
    public static final String OWNER_TOKEN_SHA256 = "ptorrent.ownerTokenSha256";

    private NodeAttributes() {
    }

    /** The node's role, or null for a node without the ptorrent plugin. */
    public static NodeRole role(ClusterNode node) {
        return NodeRole.fromId(node.attribute(ROLE));
    }

    public static boolean isContributor(ClusterNode node) {
        return role(node) == NodeRole.CONTRIBUTOR;
    }

    /** A contributor that works for the harbor (cluster of harbor servers) named {@code harbor}. */
    public static boolean isContributorOf(ClusterNode node, String harbor) {
        return isContributor(node) && harbor.equals(node.attribute(HARBOR));
    }

    public static boolean isHarbor(ClusterNode node) {
        return role(node) == NodeRole.HARBOR;
    }

    public static int intAttr(ClusterNode node, String name) {
        Object v = node.attribute(name);
        return v instanceof Number n ? n.intValue() : 0;
    }

    public static double doubleAttr(ClusterNode node, String name) {
        Object v = node.attribute(name);
        return v instanceof Number n ? n.doubleValue() : 0.0;
    }
}
