package io.ptorrent.bench;

import java.util.Arrays;
import java.util.Locale;

/** Timing a repeated operation and printing it as one row of a markdown table: the latency benchmarks' shared part. */
final class Latencies {
    /** The header of the table whose rows {@link #row} writes. */
    static final String HEADER = "| what | n | p50 ms | p90 ms | max ms |\n|---|---|---|---|---|\n";

    private Latencies() {
    }

    /** Runs {@code op} {@code n} times; its wall-clock times in ms, sorted. */
    static double[] time(int n, Runnable op) {
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            op.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms;
    }

    /** A table row: n, p50, p90 and max of {@code sorted}. */
    static String row(String what, double[] sorted) {
        return String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f |", what, sorted.length,
                sorted[sorted.length / 2], sorted[(int) (sorted.length * 0.9)], sorted[sorted.length - 1]);
    }

    /** The p-th percentile (nearest rank) of {@code sorted}; 0 when it is empty. */
    static double pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1))];
    }

    /** {@code v} to 2 decimals, for the JSON line. */
    static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
