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
}
