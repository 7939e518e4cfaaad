package io.ptorrent.plugin.bench;

/**
 * A first, simple PU benchmark: the speed of one core on a fixed mix of integer and floating-point
 * work, relative to a reference core. 1.0 PU per core = the reference core (the machine this was
 * calibrated on: a 2-core cloud VM of this project's CI kind). A later calibration adds a
 * memory-bound kernel and checks the spread over repeated runs.
 *
 * <p>Single-threaded on purpose: the node multiplies by its cores, and a parallel run would be
 * disturbed by whatever else the machine does.
 */
public final class PuBenchmark {
    /** Nanoseconds the reference core takes for one round. */
    static final double REFERENCE_ROUND_NANOS = 22_000_000.0;
    private static final int ROUNDS = 5;
    private static final int WARMUP_ROUNDS = 2;
    private static final int INNER = 8_000_000;

    private PuBenchmark() {
    }

    /** Measures this machine; takes a few hundred milliseconds. */
    public static Result run() {
        for (int i = 0; i < WARMUP_ROUNDS; i++) {
            sink(round(i));
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < ROUNDS; i++) {
            long t0 = System.nanoTime();
            sink(round(i));
            best = Math.min(best, System.nanoTime() - t0);
        }
        // The best round is the one least disturbed by other load: closest to the core's real speed.
        double puPerCore = REFERENCE_ROUND_NANOS / Math.max(1, best);
        int cores = Runtime.getRuntime().availableProcessors();
        return new Result(round3(puPerCore), cores, round3(puPerCore * cores));
    }

    private static volatile long blackhole;

    private static void sink(long v) {
        blackhole ^= v;
    }

    /** Integer mixing (xorshift) and a floating-point recurrence, interleaved. */
    static long round(int seed) {
        long x = 0x9E3779B97F4A7C15L ^ seed;
        double y = 1.0 + seed;
        for (int i = 0; i < INNER; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            y = y * 1.0000001 + (x & 0xFF) * 1e-9;
            if (y > 1e6) {
                y = 1.0;
            }
        }
        return x ^ Double.doubleToLongBits(y);
    }

    private static double round3(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    /**
     * @param puPerCore PU of one core
     * @param cores     cores of the machine
     * @param puScore   PU of the machine
     */
    public record Result(double puPerCore, int cores, double puScore) {
    }
}
