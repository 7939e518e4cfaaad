package io.ptorrent.credit.ratio;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Queued work of several accounts, handed out so that under contention each account receives the grid in
 * proportion to its entitlement, and never leaves a slot idle while something queued could run there.
 *
 * <p><b>Design.</b> Stride scheduling with measured costs. Each account with work has a lane: a FIFO of its
 * items and a <em>virtual time</em>, the PU-seconds it received divided by its share. {@link #poll} serves the
 * lane with the lowest virtual time first (the account furthest behind its entitlement), and charges it the
 * account's mean fragment cost at once, so that a burst of polls before any completion spreads over accounts;
 * {@link #onCompleted} replaces that estimate with the measured PU-seconds. Accounts with share 0 ({@code FREE},
 * or nothing given) form a second class served only when no lane with a share has an item that can run: they
 * get exactly the capacity nobody entitled wants (work-conserving), round-robin by PU-seconds received. A lane
 * that becomes active starts at the lowest virtual time of the active lanes of its class: idling banks no
 * credit for a later burst (entitlement already reflects what an account gave). A lane is dropped when it has
 * nothing queued or running.
 *
 * <p><b>No head-of-line blocking.</b> {@code poll(canRun)} asks the caller whether some free node accepts an
 * item; an item that cannot run is passed over (it keeps its place) for the next item of the same lane, then
 * the next lane.
 *
 * <p><b>Entitlements</b> come from an {@link EntitlementSource} (the {@link RatioEngine}): asked whenever an
 * account becomes active (gets a lane), and on {@link #refresh()}, which the scheduler calls once per interval
 * (contributions and balances move the shares). Lanes keep their virtual time across refreshes. A lane that
 * goes idle asks nothing: the remaining lanes' order by virtual time / share does not depend on it.
 *
 * <p><b>Cost.</b> Lanes with queued items sit in a tree ordered by (class, virtual time). {@link #add},
 * {@link #onCompleted} and a {@link #poll} whose first candidate can run are O(log lanes); a poll asks
 * {@code canRun} about items in serving order until one can run. An account that had nothing queued or running
 * makes {@link #add} call the entitlement source and re-place all lanes, as {@link #refresh} does (O(lanes ·
 * log lanes)). {@link #remove} is O(items of the lane).
 *
 * <p><b>Threads.</b> Not thread-safe: the scheduler calls it under its own lock. The entitlement source and
 * {@code canRun} are called on the caller's thread, inside that lock. Nulls are rejected.
 *
 * @param <T> the queued item (a fragment); compared by {@code equals} in {@link #remove}
 */
public final class FairQueue<T> {
    /** Where the queue gets the shares of the accounts with work; the {@link RatioEngine} is one. */
    @FunctionalInterface
    public interface EntitlementSource {
        /** The shares of these accounts (all of them with demand now), summing to 1. */
        Entitlements entitlements(Collection<String> withDemand);
    }

    /** Until an account's first completion is measured, a fragment is charged this many PU-seconds. */
    public static final double DEFAULT_COST = 1.0;
    /** Weight of the newest completion in an account's mean fragment cost. */
    private static final double COST_SMOOTHING = 0.2;

    private final EntitlementSource source;
    private final Map<String, Lane<T>> lanes = new HashMap<>();
    /** Lanes with queued items, in serving order. A lane's share, virtual time or emptiness changes only out of it. */
    private final TreeSet<Lane<T>> ready = new TreeSet<>(Lane::order);
    private Entitlements entitlements = Entitlements.NONE;
    /** Mean cost of all completions: what a new account's first fragments are charged. */
    private double meanCost = DEFAULT_COST;
    private long completions;
    private int size;

    private static final class Lane<T> {
        final String account;
        final ArrayDeque<T> items = new ArrayDeque<>();
        double share;
        double virtualTime;
        double meanCost = Double.NaN;
        int running;
        double runningCharge;

        Lane(String account) {
            this.account = account;
        }

        /** The class first (0 entitled, 1 share 0), then the virtual time, then the name (deterministic ties). */
        static int order(Lane<?> x, Lane<?> y) {
            boolean xe = x.share > 0;
            boolean ye = y.share > 0;
            if (xe != ye) {
                return xe ? -1 : 1;
            }
            int c = Double.compare(x.virtualTime, y.virtualTime);
            return c != 0 ? c : x.account.compareTo(y.account);
        }

        double weight() {
            return share > 0 ? share : 1;
        }
    }

    public FairQueue(EntitlementSource source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /** Queues an item of the account, behind the account's earlier items. */
    public void add(String account, T item) {
        Objects.requireNonNull(item, "item");
        Lane<T> lane = lanes.get(Objects.requireNonNull(account, "account"));
        if (lane == null) {
            lane = new Lane<>(account);
            lanes.put(account, lane);
            activate(lane);
        }
        ready.remove(lane);
        lane.items.addLast(item);
        ready.add(lane);
        size++;
    }

    /**
     * Removes and returns the next item to run: from the account furthest behind its entitlement among those
     * with an item that {@code canRun} accepts; null when no queued item can run now. The item is counted as
     * running for its account until {@link #onCompleted}.
     *
     * @param canRun whether some free node would accept the item now; called for as few items as possible
     */
    public T poll(Predicate<? super T> canRun) {
        Objects.requireNonNull(canRun, "canRun");
        if (size == 0) {
            return null;
        }
        for (Lane<T> lane : ready) {
            T item = take(lane, canRun);
            if (item != null) {
                return item;
            }
        }
        return null;
    }

    /**
     * Reports that an item {@link #poll}ed for the account has finished, with the PU-seconds it used; call it
     * exactly once per polled item, with 0 if it did not run (failed before starting, cancelled). An account the
     * queue does not know (nothing running) is ignored.
     */
    public void onCompleted(String account, double puSeconds) {
        if (!(puSeconds >= 0) || Double.isInfinite(puSeconds)) {
            throw new IllegalArgumentException("puSeconds is finite and never negative: " + puSeconds);
        }
        Lane<T> lane = lanes.get(Objects.requireNonNull(account, "account"));
        if (lane == null || lane.running == 0) {
            return;
        }
        double charged = lane.runningCharge / lane.running;
        lane.runningCharge -= charged;
        lane.running--;
        boolean queued = ready.remove(lane);
        lane.virtualTime += (puSeconds - charged) / lane.weight();
        if (queued) {
            ready.add(lane);
        }
        lane.meanCost = Double.isNaN(lane.meanCost) ? puSeconds : lane.meanCost + COST_SMOOTHING * (puSeconds - lane.meanCost);
        meanCost = completions++ == 0 ? puSeconds : meanCost + COST_SMOOTHING * (puSeconds - meanCost);
        dropIfIdle(lane);
    }

    /** Removes a queued item of the account (a cancelled fragment); false if it was not queued. */
    public boolean remove(String account, T item) {
        Lane<T> lane = lanes.get(Objects.requireNonNull(account, "account"));
        if (lane == null || !lane.items.contains(Objects.requireNonNull(item, "item"))) {
            return false;
        }
        ready.remove(lane);
        lane.items.remove(item);
        if (!lane.items.isEmpty()) {
            ready.add(lane);
        }
        size--;
        dropIfIdle(lane);
        return true;
    }

    /** Asks the entitlement source again for the accounts with work (the scheduler calls it once per interval). */
    public void refresh() {
        entitlements = lanes.isEmpty() ? Entitlements.NONE : source.entitlements(Set.copyOf(lanes.keySet()));
        ready.clear();
        List<Lane<T>> entering = new ArrayList<>();
        for (Lane<T> lane : lanes.values()) {
            double share = entitlements.share(lane.account);
            if ((lane.items.isEmpty() && lane.running == 0) || (lane.share > 0) != (share > 0)) {
                entering.add(lane);
            }
            lane.share = share;
        }
        // A new lane, or one that changed class, enters at the level of the lanes already in its class: neither
        // ahead by idle time nor behind by what it received in the other class.
        entering.forEach(lane -> lane.virtualTime = Double.NaN);
        entering.forEach(lane -> lane.virtualTime = floor(lane));
        for (Lane<T> lane : lanes.values()) {
            if (!lane.items.isEmpty()) {
                ready.add(lane);
            }
        }
    }

    /** Queued items (not counting running ones). */
    public int size() {
        return size;
    }

    /** Queued items of the account. */
    public int size(String account) {
        Lane<T> lane = lanes.get(Objects.requireNonNull(account, "account"));
        return lane == null ? 0 : lane.items.size();
    }

    /** Accounts with queued or running items: the demand the entitlements are computed for. */
    public Set<String> accounts() {
        return Set.copyOf(lanes.keySet());
    }

    /** The entitlements the queue orders by now. */
    public Entitlements entitlements() {
        return entitlements;
    }

    private T take(Lane<T> lane, Predicate<? super T> canRun) {
        for (Iterator<T> it = lane.items.iterator(); it.hasNext(); ) {
            T item = it.next();
            if (canRun.test(item)) {
                // The caller's iteration over `ready` ends with this return.
                ready.remove(lane);
                it.remove();
                size--;
                double charge = Double.isNaN(lane.meanCost) ? meanCost : lane.meanCost;
                lane.running++;
                lane.runningCharge += charge;
                lane.virtualTime += charge / lane.weight();
                if (!lane.items.isEmpty()) {
                    ready.add(lane);
                }
                return item;
            }
        }
        return null;
    }

    private void activate(Lane<T> lane) {
        // Shares depend on who else has demand (a free rider alone has the whole grid, and loses it the moment
        // an entitled account arrives; guaranteed floors squeeze the others): ask again on every arrival.
        refresh();
    }

    /** The lowest virtual time among the other placed active lanes of the lane's class (0 when there are none). */
    private double floor(Lane<T> lane) {
        double min = Double.POSITIVE_INFINITY;
        for (Lane<T> o : lanes.values()) {
            if (o != lane && !Double.isNaN(o.virtualTime) && (o.share > 0) == (lane.share > 0) && (!o.items.isEmpty() || o.running > 0)) {
                min = Math.min(min, o.virtualTime);
            }
        }
        return min == Double.POSITIVE_INFINITY ? 0 : min;
    }

    private void dropIfIdle(Lane<T> lane) {
        if (lane.items.isEmpty() && lane.running == 0) {
            lanes.remove(lane.account);
        }
    }
}
