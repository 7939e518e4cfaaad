package io.ptorrent.client.wire;

/**
 * What {@value GatewayTasks#AVAILABILITY} answers: the capacity of the harbor's contributors now.
 *
 * @param contributors     contributor nodes of this harbor
 * @param sharedCores      cores they share
 * @param freeCores        shared cores running no fragment now
 * @param capacityPu       PU they share
 * @param freePu           shared PU not busy now
 * @param queuedFragments  fragments waiting on this harbor for a free core
 * @param runningFragments fragments this harbor has out on contributors
 * @param pricePerPuSecond credits a PU-second costs now
 * @param error            null on success ({@code NOT_READY} while the harbor starts)
 */
public record AvailabilityResult(int contributors, int sharedCores, int freeCores, double capacityPu, double freePu,
                                 int queuedFragments, int runningFragments, double pricePerPuSecond, WireError error) {
    /** An error answer. */
    public static AvailabilityResult failed(WireError error) {
        return new AvailabilityResult(0, 0, 0, 0, 0, 0, 0, 0, error);
    }
}
