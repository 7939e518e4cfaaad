package io.ptorrent.plugin;

import io.ptorrent.client.ErrorCode;
import io.ptorrent.client.PtorrentException;

/**
 * How long a task of some work would wait and run on the grid now, and what it would cost: the answer of
 * {@code GET /api/estimate?workPu=N}. A plain model until the ML forecast arrives:
 * <ul>
 *   <li>run time: the work spread over all shared capacity, {@code workPu / capacityPu};</li>
 *   <li>wait: none while a shared core is free; else the work ahead of it (queued fragments of the recent
 *       size, and half of each running one) over the capacity;</li>
 *   <li>cost: the work at the ratio engine's price of a PU-second now ({@link GridSnapshot#pricePerPuSecond}),
 *       which a task accepted now is charged at.</li>
 * </ul>
 *
 * @param workPu           the task's work, PU-seconds
 * @param capacityPu       PU the contributors share now
 * @param freePu           shared PU free now
 * @param waitSeconds      expected wait before the task's first fragment starts
 * @param runSeconds       expected run time once started
 * @param costCredits      expected cost, credits (PU-seconds at {@code pricePerPuSecond})
 * @param pricePerPuSecond credits per PU-second
 */
public record Estimate(double workPu, double capacityPu, double freePu, double waitSeconds, double runSeconds,
                       double costCredits, double pricePerPuSecond) {
    /** The price of a PU-second where no ratio engine sets one. */
    public static final double PLAIN_PRICE = 1.0;
    /** A task larger than this (about 30 reference-core-years) is surely a mistake. */
    public static final double MAX_WORK_PU = 1e9;
    /** The size assumed for a fragment before the harbor has seen any. */
    static final double DEFAULT_FRAGMENT_PU_SECONDS = 1.0;

    /**
     * The estimate for {@code workPu} PU-seconds on the grid of {@code s}.
     *
     * @throws PtorrentException BAD_REQUEST for work that is not a positive number up to {@link #MAX_WORK_PU};
     *                           NO_CONTRIBUTORS when nothing is shared, so no time can be given
     */
    public static Estimate of(GridSnapshot s, double workPu) {
        if (!(workPu > 0) || workPu > MAX_WORK_PU || Double.isNaN(workPu)) {
            throw new PtorrentException(ErrorCode.BAD_REQUEST, "workPu must be a number of PU-seconds above 0 and at most " + (long) MAX_WORK_PU + ", was " + workPu);
        }
        double capacity = s.capacityPu();
        if (capacity <= 0) {
            throw new PtorrentException(ErrorCode.NO_CONTRIBUTORS, "no contributor shares any capacity now, so no time can be estimated");
        }
        double fragment = s.recentFragmentPuSeconds() > 0 ? s.recentFragmentPuSeconds() : DEFAULT_FRAGMENT_PU_SECONDS;
        double ahead = s.queuedFragments() * fragment + (s.freePu() > 0 ? 0 : s.runningFragments() * fragment / 2);
        double price = s.pricePerPuSecond();
        return new Estimate(workPu, capacity, s.freePu(), ahead / capacity, workPu / capacity, workPu * price, price);
    }
}
