package io.ptorrent.plugin.share;

import java.util.Objects;

/**
 * What a contributor may give the grid at one moment, from {@link ShareRules#allowance}. Admitting
 * exactly when at least one core is shared; when not admitting every limit is 0.
 *
 * @param cores      cores fragments may use now
 * @param cpuPercent CPU share of those cores, 0-100 (throttling)
 * @param memoryMb   memory fragments may use, MiB
 * @param admitting  whether new fragments may start now
 * @param reason     why, in words for the node's log and the console
 */
public record Allowance(int cores, int cpuPercent, long memoryMb, boolean admitting, String reason) {
    public Allowance {
        Objects.requireNonNull(reason, "reason");
        if (cores < 0 || cpuPercent < 0 || cpuPercent > 100 || memoryMb < 0) {
            throw new IllegalArgumentException("not an allowance: " + cores + " cores, " + cpuPercent + "% CPU, " + memoryMb + " MiB");
        }
        if (admitting != (cores > 0 && cpuPercent > 0 && memoryMb > 0)) {
            throw new IllegalArgumentException("admitting must be true exactly when cores, CPU and memory are all given");
        }
    }

    /** Nothing shared now, for {@code reason}. */
    static Allowance none(String reason) {
        return new Allowance(0, 0, 0, false, reason);
    }
}
