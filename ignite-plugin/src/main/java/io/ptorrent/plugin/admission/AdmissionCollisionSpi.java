package io.ptorrent.plugin.admission;

import org.apache.ignite.spi.IgniteSpiAdapter;
import org.apache.ignite.spi.IgniteSpiException;
import org.apache.ignite.spi.IgniteSpiMultipleInstancesSupport;
import org.apache.ignite.spi.collision.CollisionContext;
import org.apache.ignite.spi.collision.CollisionExternalListener;
import org.apache.ignite.spi.collision.CollisionJobContext;
import org.apache.ignite.spi.collision.CollisionSpi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A contributor's admission: runs at most {@link #slots()} fragments at once, the cores the owner shares
 * right now. Installed by the ptorrent plugin on every contributor node.
 *
 * <p>Policy, applied on every collision event (a job arrives or ends, the topology or the slots change):
 * <ul>
 *   <li>running jobs beyond the slots are cancelled, newest first: handed back, so that the harbor runs them
 *       elsewhere (the owner needs the machine; a fragment is never finished against the owner's rules);</li>
 *   <li>with no slot at all, waiting jobs are cancelled at once rather than left to wait for an owner who
 *       may be busy for hours;</li>
 *   <li>otherwise waiting jobs are started while a slot is free, highest {@link AdmissionPriority} first (the
 *       entitlement of the job's account: a contributor serving several harbors serves the better-entitled
 *       work first), arrival order among equals.</li>
 * </ul>
 * Ignite calls {@link #onCollision} from job processor threads and, after {@link #slots(int)}, from the thread
 * that changed the slots; it guards only against re-entry on one thread, so two calls can overlap. They are
 * serialized here: two overlapping calls would each see a free slot, both activate a job, and the next call
 * would cancel one of them again (a spurious hand-back). {@link #slots(int)} may be called from any thread.
 */
@IgniteSpiMultipleInstancesSupport(true)
public final class AdmissionCollisionSpi extends IgniteSpiAdapter implements CollisionSpi {
    private volatile int slots;
    private volatile CollisionExternalListener listener;

    /** @param slots fragments that may run at once to begin with */
    public AdmissionCollisionSpi(int slots) {
        this.slots = checked(slots);
    }

    /** Fragments that may run at once now. */
    public int slots() {
        return slots;
    }

    /** Changes the slots and applies them at once (hands back or starts jobs). */
    public void slots(int slots) {
        this.slots = checked(slots);
        CollisionExternalListener l = listener;
        if (l != null) {
            l.onExternalCollision();
        }
    }

    @Override
    public synchronized void onCollision(CollisionContext ctx) {
        int allowed = slots;
        List<CollisionJobContext> active = new ArrayList<>();
        for (CollisionJobContext c : ctx.activeJobs()) {
            if (!(c.getJob() instanceof AdmissionExempt)) {
                active.add(c);
            }
        }
        for (int i = active.size() - 1; i >= allowed; i--) {
            active.get(i).cancel();
        }
        int running = Math.min(active.size(), allowed);
        List<CollisionJobContext> waitingJobs = new ArrayList<>(ctx.waitingJobs());
        waitingJobs.sort(Comparator.comparingDouble(AdmissionCollisionSpi::priority).reversed()); // stable: arrival order among equals
        for (CollisionJobContext waiting : waitingJobs) {
            if (waiting.getJob() instanceof AdmissionExempt) {
                waiting.activate(); // the grid's own control work: it never takes a shared core for long
            } else if (allowed == 0) {
                waiting.cancel();
            } else if (running < allowed && waiting.activate()) {
                running++;
            }
        }
    }

    private static double priority(CollisionJobContext c) {
        if (c.getJob() instanceof AdmissionExempt) {
            return Double.POSITIVE_INFINITY;
        }
        return c.getJob() instanceof AdmissionPriority p ? p.priority() : 0;
    }

    @Override
    public void setExternalCollisionListener(CollisionExternalListener listener) {
        this.listener = listener;
    }

    @Override
    public void spiStart(String igniteInstanceName) throws IgniteSpiException {
        startStopwatch();
    }

    @Override
    public void spiStop() throws IgniteSpiException {
    }

    private static int checked(int slots) {
        if (slots < 0) {
            throw new IllegalArgumentException("slots must not be negative, was " + slots);
        }
        return slots;
    }
}
