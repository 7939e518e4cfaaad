package io.ptorrent.plugin.scheduler;

import java.time.Duration;
import java.util.Objects;

/**
 * How a harbor measures its contributors' speed ({@link SpeedProbes}); {@code PtorrentPluginConfiguration}'s
 * {@code speedProbe}, checked when built.
 *
 * @param interval         mean time between two measurements of one node: each next one comes at a random
 *                         time between half and one and a half of it (a node cannot tell when to be at its
 *                         best); at least 1 s. The first measurement is when the node joins.
 * @param referenceSeconds the work of one probe, in seconds of the reference core (0.1..600): long enough that
 *                         the round trip is a small share of the time the harbor measures (about 20 ms of 2.5 s
 *                         here), short enough that a node spends little of its shared time on it
 * @param checks           rounds of each answer the harbor recomputes (1..16), about 40 ms of its CPU each
 */
public record SpeedProbeOptions(Duration interval, double referenceSeconds, int checks) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(20);
    public static final double DEFAULT_REFERENCE_SECONDS = 2.5;
    public static final int DEFAULT_CHECKS = 2;
    public static final SpeedProbeOptions DEFAULTS = new SpeedProbeOptions(DEFAULT_INTERVAL, DEFAULT_REFERENCE_SECONDS, DEFAULT_CHECKS);

    public SpeedProbeOptions {
        Objects.requireNonNull(interval, "interval");
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("speedProbe.interval must be at least 1 s: " + interval);
        }
        if (!(referenceSeconds >= 0.1 && referenceSeconds <= 600)) {
            throw new IllegalArgumentException("speedProbe.referenceSeconds must be between 0.1 and 600: " + referenceSeconds);
        }
        if (checks < 1 || checks > 16) {
            throw new IllegalArgumentException("speedProbe.checks must be between 1 and 16: " + checks);
        }
    }

    public SpeedProbeOptions withInterval(Duration interval) {
        return new SpeedProbeOptions(interval, referenceSeconds, checks);
    }

    public SpeedProbeOptions withReferenceSeconds(double referenceSeconds) {
        return new SpeedProbeOptions(interval, referenceSeconds, checks);
    }
}
