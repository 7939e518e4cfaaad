package io.ptorrent.client;

/**
 * The capacity of a harbor's contributors now, as {@link PtorrentClient#availability()} answers it.
 *
 * @param contributors     contributor nodes of the harbor
 * @param sharedCores      cores they share
 * @param freeCores        shared cores running no fragment now
 * @param capacityPu       PU they share
 * @param freePu           shared PU not busy now
 * @param queuedFragments  fragments waiting for a free core
 * @param runningFragments fragments running now
 * @param pricePerPuSecond credits a PU-second costs now
 */
public record Availability(int contributors, int sharedCores, int freeCores, double capacityPu, double freePu,
                           int queuedFragments, int runningFragments, double pricePerPuSecond) {
}
