package io.ptorrent.plugin.firewall;

import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.internal.events.DiscoveryCustomEvent;
import org.apache.ignite.internal.managers.discovery.CustomMessageWrapper;
import org.apache.ignite.internal.managers.discovery.DiscoveryCustomMessage;
import org.apache.ignite.internal.util.future.IgniteFinishedFutureImpl;
import org.apache.ignite.lang.IgniteFuture;
import org.apache.ignite.spi.discovery.DiscoveryNotification;
import org.apache.ignite.spi.discovery.DiscoverySpiListener;

/**
 * Sits between the discovery SPI and Ignite's discovery manager on every ptorrent node: a custom message
 * that {@link CustomMessagePolicy} refuses is never handed to Ignite, on any honest node (see there why all
 * of them). The creator is the node discovery names for the message. Called on the discovery thread, in
 * ring order; holds no lock but the policy's small one.
 */
final class DiscoveryFirewall implements DiscoverySpiListener {
    private final DiscoverySpiListener delegate;
    private final CustomMessagePolicy policy;
    private final Refusals refusals;
    private final boolean failsClients;

    /** @param failsClients whether this node fails a client whose message it drops (harbors do; contributors only drop) */
    DiscoveryFirewall(DiscoverySpiListener delegate, CustomMessagePolicy policy, Refusals refusals, boolean failsClients) {
        this.delegate = delegate;
        this.policy = policy;
        this.refusals = refusals;
        this.failsClients = failsClients;
    }

    DiscoverySpiListener delegate() {
        return delegate;
    }

    @Override
    public void onLocalNodeInitialized(ClusterNode locNode) {
        delegate.onLocalNodeInitialized(locNode);
    }

    @Override
    public IgniteFuture<?> onDiscovery(DiscoveryNotification notification) {
        if (notification.type() == DiscoveryCustomEvent.EVT_DISCOVERY_CUSTOM_EVT
                && notification.getCustomMsgData() instanceof CustomMessageWrapper wrapper) {
            DiscoveryCustomMessage msg = wrapper.delegate();
            ClusterNode creator = notification.getNode();
            boolean fromClient = creator != null && creator.isClient();
            String why = policy.refusal(fromClient, msg);
            if (why == CustomMessagePolicy.QUIET) {
                refusals.ignore(msg.getClass().getSimpleName());
                return new IgniteFinishedFutureImpl<>();
            }
            if (why != null) {
                refusals.refuse("discovery", creator == null ? null : creator.id(), creator == null ? null : creator.consistentId(),
                        msg.getClass().getSimpleName(), why, fromClient && failsClients);
                // As if it had never been sent: Ignite's manager skips duplicates the same way.
                return new IgniteFinishedFutureImpl<>();
            }
        }
        return delegate.onDiscovery(notification);
    }
}
