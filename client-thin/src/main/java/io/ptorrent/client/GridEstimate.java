package io.ptorrent.client;

/**
 * How long some work would wait and run on the grid now, and what it would cost, as
 * {@link PtorrentClient#estimate(double)} answers it.
 *
 * @param workPu           the work, PU-seconds
 * @param capacityPu       PU the contributors share now
 * @param freePu           shared PU free now
 * @param waitSeconds      expected wait before the first fragment starts
 * @param runSeconds       expected run time once started
 * @param costCredits      expected cost, credits
 * @param pricePerPuSecond credits per PU-second now
 */
public record GridEstimate(double workPu, double capacityPu, double freePu, double waitSeconds, double runSeconds,
                           double costCredits, double pricePerPuSecond) {
}
