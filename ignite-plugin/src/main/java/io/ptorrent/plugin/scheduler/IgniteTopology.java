package io.ptorrent.plugin.scheduler;

import io.ptorrent.plugin.NodeAttributes;
import io.ptorrent.plugin.admission.ShareOffers;
import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.ClusterNode;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** {@link Topology} on Ignite's discovery: this harbor's contributor client nodes, their latest share offers, the measured speeds. */
final class IgniteTopology implements Topology {
    private final Ignite ignite;
    private final String harborName;
    private final ShareOffers offers;
    private final NodeSpeeds speeds;

    IgniteTopology(Ignite ignite, String harborName, ShareOffers offers, NodeSpeeds speeds) {
        this.ignite = ignite;
        this.harborName = harborName;
        this.offers = offers;
        this.speeds = speeds;
    }

    @Override
    public List<Contributor> contributors() {
        List<Contributor> out = new ArrayList<>();
        for (ClusterNode n : nodes()) {
            out.add(new Contributor(n.id(), String.valueOf(n.consistentId()), sharedCores(n), speeds.puPerCore(n.id())));
        }
        return out;
    }

    @Override
    public boolean present(UUID node) {
        return ignite.cluster().node(node) != null;
    }

    /** This harbor's contributor nodes now. */
    List<ClusterNode> nodes() {
        List<ClusterNode> out = new ArrayList<>();
        for (ClusterNode n : ignite.cluster().forClients().nodes()) {
            if (NodeAttributes.isContributorOf(n, harborName)) {
                out.add(n);
            }
        }
        return out;
    }

    /** The cores a node shares now: its latest offer, else what it said when it joined. */
    int sharedCores(ClusterNode n) {
        return offers.offer(n.id(), NodeAttributes.intAttr(n, NodeAttributes.SHARED_CORES));
    }
}
