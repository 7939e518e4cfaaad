package io.ptorrent.client.wire;

/**
 * What {@value GatewayTasks#ESTIMATE} answers; the same figures as the console's {@code GET /api/estimate}.
 *
 * @param workPu           the work asked about, PU-seconds
 * @param capacityPu       PU the contributors share now
 * @param freePu           shared PU free now
 * @param waitSeconds      expected wait before the task's first fragment starts
 * @param runSeconds       expected run time once started
 * @param costCredits      expected cost, credits
 * @param pricePerPuSecond credits per PU-second now
 * @param error            null on success; BAD_REQUEST for work that is not a positive number, NO_CONTRIBUTORS
 *                         when nothing is shared
 */
public record EstimateResult(double workPu, double capacityPu, double freePu, double waitSeconds, double runSeconds,
                             double costCredits, double pricePerPuSecond, WireError error) {
    /** An error answer. */
    public static EstimateResult failed(WireError error) {
        return new EstimateResult(0, 0, 0, 0, 0, 0, 0, error);
    }
}
