package io.ptorrent.credit.ratio;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Synthetic supply/demand histories for the forecast's tests and the bench; the same seed gives the same series. */
public final class SyntheticLoad {
    public static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");

    private SyntheticLoad() {
    }

    /**
     * A daily-like cycle of {@code period} intervals with noise: demand 100 ± 60 with a third harmonic (σ 3),
     * supply 80 ± 25 out of phase (σ 2).
     */
    public static List<GridSample> periodic(int intervals, int period, long seed) {
        Random random = new Random(seed);
        List<GridSample> samples = new ArrayList<>();
        for (int i = 0; i < intervals; i++) {
            double phase = 2 * Math.PI * i / period;
            double demand = 100 + 60 * Math.sin(phase) + 20 * Math.sin(3 * phase) + random.nextGaussian() * 3;
            double supply = 80 + 25 * Math.cos(phase) + random.nextGaussian() * 2;
            samples.add(new GridSample(at(i), Math.max(0, supply), Math.max(0, demand)));
        }
        return samples;
    }

    /** Random walks (steps σ 2 for supply, σ 5 for demand): nothing to learn, the last value is the best forecast. */
    public static List<GridSample> randomWalk(int intervals, long seed) {
        Random random = new Random(seed);
        List<GridSample> samples = new ArrayList<>();
        double supply = 50;
        double demand = 50;
        for (int i = 0; i < intervals; i++) {
            supply = Math.max(0, supply + random.nextGaussian() * 2);
            demand = Math.max(0, demand + random.nextGaussian() * 5);
            samples.add(new GridSample(at(i), supply, demand));
        }
        return samples;
    }

    private static Instant at(int i) {
        return T0.plus(Duration.ofMinutes(i + 1));
    }
}
