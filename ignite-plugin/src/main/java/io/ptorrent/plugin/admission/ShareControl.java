package io.ptorrent.plugin.admission;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;
import org.apache.ignite.Ignite;
import org.apache.ignite.events.DiscoveryEvent;
import org.apache.ignite.events.Event;
import org.apache.ignite.events.EventType;
import org.apache.ignite.lang.IgnitePredicate;

/**
 * A contributor's share, changeable while it runs: the cores its owner configured, and none while the owner
 * is busy (automatic mode). A change takes effect at once on this node (admission hands back or starts
 * fragments) and reaches every harbor as a share offer, so that no harbor maps work onto cores that are no
 * longer shared. Thread-safe.
 */
public final class ShareControl {
    private final Ignite ignite;
    private final AdmissionCollisionSpi admission;
    private final int machineCores;
    private final IgnitePredicate<Event> harborJoined;
    private int configured;
    private boolean ownerActive;

    public ShareControl(Ignite ignite, AdmissionCollisionSpi admission, int machineCores) {
        this.ignite = ignite;
        this.admission = admission;
        this.machineCores = machineCores;
        this.configured = admission.slots();
        // A harbor that joins later has only our join-time attribute: tell it the current offer.
        this.harborJoined = evt -> {
            if (evt instanceof DiscoveryEvent d && !d.eventNode().isClient()) {
                ShareOffers.publish(ignite, admission.slots());
            }
            return true;
        };
        ignite.events().localListen(harborJoined, EventType.EVT_NODE_JOINED);
    }

    /** Cores shared now: 0 while the owner is busy, else the configured share. */
    public int sharedCores() {
        return admission.slots();
    }

    /** Cores the owner configured to share (whether or not the owner is busy now). */
    public synchronized int configuredCores() {
        return configured;
    }

    /** Whether automatic mode saw the owner busy and took the share back. */
    public synchronized boolean ownerActive() {
        return ownerActive;
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
        synchronized (this) {
            configured = cores;
        }
        apply();
    }

    /** Automatic mode's verdict: while the owner is active the node shares nothing. */
    void ownerActive(boolean active) {
        synchronized (this) {
            ownerActive = active;
        }
        apply();
    }

    private void apply() {
        int effective;
        synchronized (this) {
            effective = ownerActive ? 0 : configured;
            admission.slots(effective);
        }
        ShareOffers.publish(ignite, effective);
    }

    public void stop() {
        ignite.events().stopLocalListen(harborJoined);
    }
}
