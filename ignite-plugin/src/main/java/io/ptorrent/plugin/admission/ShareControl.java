package io.ptorrent.plugin.admission;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import org.apache.ignite.Ignite;
import org.apache.ignite.events.DiscoveryEvent;
import org.apache.ignite.events.Event;
import org.apache.ignite.events.EventType;
import org.apache.ignite.lang.IgnitePredicate;

/**
 * A contributor's share, changeable while it runs: the cores it gives to the grid now. A change takes
 * effect at once on this node (admission hands back or starts fragments) and reaches every harbor as a
 * share offer, so that no harbor maps work onto cores that are no longer shared. Thread-safe.
 */
public final class ShareControl {
    private final Ignite ignite;
    private final AdmissionCollisionSpi admission;
    private final int machineCores;
    private final IgnitePredicate<Event> harborJoined;

    public ShareControl(Ignite ignite, AdmissionCollisionSpi admission, int machineCores) {
        this.ignite = ignite;
        this.admission = admission;
        this.machineCores = machineCores;
        // A harbor that joins later has only our join-time attribute: tell it the current offer.
        this.harborJoined = evt -> {
            if (evt instanceof DiscoveryEvent d && !d.eventNode().isClient()) {
                ShareOffers.publish(ignite, admission.slots());
            }
            return true;
        };
        ignite.events().localListen(harborJoined, EventType.EVT_NODE_JOINED);
    }

    /** Cores shared now. */
    public int sharedCores() {
        return admission.slots();
    }

    /**
     * Shares {@code cores} cores from now on.
     *
     * @throws PtorrentException CONFIG_INVALID if {@code cores} is not between 0 and the machine's cores
     */
    public void sharedCores(int cores) {
        if (cores < 0 || cores > machineCores) {
            throw new PtorrentException(ErrorCode.CONFIG_INVALID,
                    "sharedCores: " + cores + " is not between 0 and the machine's " + machineCores + " cores");
        }
        admission.slots(cores);
        ShareOffers.publish(ignite, cores);
    }

    public void stop() {
        ignite.events().stopLocalListen(harborJoined);
    }
}
