package io.ptorrent.plugin.bench;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The calibrated PU benchmark: how fast one core of this machine is, in PU (1.0 PU = one reference
 * core). Called by the plugin when a node starts and by {@code bin/ptorrent node --benchmark}; one call
 * at a time per thread, no shared mutable state except a blackhole, so it is thread-safe.
 *
 * <p>Design. Three kernels, each a fixed amount of work whose result is consumed so the JIT cannot drop
 * it:
 * <ul>
 *   <li><b>integer</b>: a xorshift64 generator mixed through multiply/rotate (a hash chain);</li>
 *   <li><b>floating point</b>: a 16×16 double matrix multiply, renormalised each round so values stay
 *       bounded (Java's FP semantics are strict, so the checksum is the same on every JVM);</li>
 *   <li><b>memory</b>: a pointer chase through a single-cycle permutation of a 32 MiB {@code int[]}
 *       (larger than any L2 cache; on a household machine larger than its L3 too), allocated once per
 *       run. A dependent load chain measures memory latency, the part of speed that prefetchers and
 *       wide cores cannot hide.</li>
 * </ul>
 * Each kernel warms up (so the JIT has compiled it), then runs {@value #ROUNDS} timed rounds
 * interleaved with the other kernels; the best round counts, since it is the one least disturbed by
 * other load and so closest to the core's own speed. A kernel's score is its reference time divided by
 * its best time; the per-core PU is the geometric mean of the three scores, so that no single kernel
 * dominates and a machine twice as fast on everything scores exactly twice.
 *
 * <p>Calibration: the {@code REFERENCE_*_NANOS} constants are this project's reference core (a 2-core
 * Intel Xeon cloud VM, 4 MiB L2, OpenJDK 17; see docs/BENCHMARKS.md), so 1.0 PU = that core.
 */
public final class PuBenchmark {
    /** Best-round time of each kernel on the reference core, in nanoseconds. */
    static final double REFERENCE_INT_NANOS = 17_950_000.0;
    static final double REFERENCE_FP_NANOS = 20_080_000.0;
    static final double REFERENCE_MEM_NANOS = 20_600_000.0;

    /** Work per round of each kernel: about 20 ms on the reference core. */
    static final int INT_STEPS = 8_000_000;
    static final int FP_ROUNDS = 8_000;
    static final int MEM_HOPS = 150_000;
    /** 32 MiB of {@code int}: a power of two, so the permutation below is one cycle over all of it. */
    static final int MEM_INTS = 1 << 23;

    private static final int WARMUP_ROUNDS = 3;
    private static final int ROUNDS = 5;
    private static final int N = 16;

    private static volatile long blackhole;

    private PuBenchmark() {
    }

    /** Measures this machine with {@link System#nanoTime()}; takes well under a second. */
    public static Result run() {
        return run(System::nanoTime);
    }

    /**
     * Measures this machine, timing with {@code nanoClock} (tests pass a fake one to check the
     * arithmetic; the kernels still run for real).
     */
    public static Result run(LongSupplier nanoClock) {
        Objects.requireNonNull(nanoClock, "nanoClock");
        long start = nanoClock.getAsLong();
        int[] next = permutation(MEM_INTS);
        double[] a = matrix(1);
        double[] b = matrix(2);
        double[] c = new double[N * N];
        int p = 0;
        for (int i = 0; i < WARMUP_ROUNDS; i++) {
            sink(intKernel(i, INT_STEPS));
            sink(fpKernel(a, b, c, FP_ROUNDS));
            p = memKernel(next, p, MEM_HOPS);
        }
        long bestInt = Long.MAX_VALUE;
        long bestFp = Long.MAX_VALUE;
        long bestMem = Long.MAX_VALUE;
        // Interleaved, so that a burst of other load spoils one round of each kernel, not all of one.
        for (int i = 0; i < ROUNDS; i++) {
            long t0 = nanoClock.getAsLong();
            sink(intKernel(i, INT_STEPS));
            long t1 = nanoClock.getAsLong();
            sink(fpKernel(a, b, c, FP_ROUNDS));
            long t2 = nanoClock.getAsLong();
            p = memKernel(next, p, MEM_HOPS);
            long t3 = nanoClock.getAsLong();
            bestInt = Math.min(bestInt, t1 - t0);
            bestFp = Math.min(bestFp, t2 - t1);
            bestMem = Math.min(bestMem, t3 - t2);
        }
        sink(p);
        Kernels k = new Kernels(score(REFERENCE_INT_NANOS, bestInt), score(REFERENCE_FP_NANOS, bestFp), score(REFERENCE_MEM_NANOS, bestMem));
        double puPerCore = round3(Math.cbrt(k.integer() * k.floatingPoint() * k.memory()));
        // Single-threaded on purpose: a node's score is per-core speed times its cores. Running on every
        // core at once would take the whole machine from its owner while a node starts, and would measure
        // whatever else runs at that moment rather than the core; the scheduler sizes fragments per core.
        int cores = Runtime.getRuntime().availableProcessors();
        long millis = Math.max(0, (nanoClock.getAsLong() - start) / 1_000_000);
        return new Result(puPerCore, cores, round3(puPerCore * cores), k, millis);
    }

    private static double score(double referenceNanos, long bestNanos) {
        return round3(referenceNanos / Math.max(1, bestNanos));
    }

    private static void sink(long v) {
        blackhole ^= v;
    }

    /** Integer kernel: xorshift64 through a multiply-rotate hash chain; returns the hash. */
    static long intKernel(long seed, int steps) {
        long x = 0x9E3779B97F4A7C15L ^ seed;
        long h = seed;
        for (int i = 0; i < steps; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            h = Long.rotateLeft((h ^ x) * 0xBF58476D1CE4E5B9L, 31);
        }
        return h;
    }

    /**
     * Floating-point kernel: {@code a = a×b / ‖a×b‖} for {@code rounds} rounds on 16×16 matrices; writes
     * {@code a} and {@code c}, returns the bits of the sum of {@code a}.
     */
    static long fpKernel(double[] a, double[] b, double[] c, int rounds) {
        for (int r = 0; r < rounds; r++) {
            java.util.Arrays.fill(c, 0.0);
            for (int i = 0; i < N; i++) {
                for (int k = 0; k < N; k++) {
                    double aik = a[i * N + k];
                    for (int j = 0; j < N; j++) {
                        c[i * N + j] += aik * b[k * N + j];
                    }
                }
            }
            double norm = 0;
            for (double v : c) {
                norm += v * v;
            }
            double scale = 1.0 / Math.sqrt(norm);
            for (int i = 0; i < N * N; i++) {
                a[i] = c[i] * scale;
            }
        }
        double sum = 0;
        for (double v : a) {
            sum += v;
        }
        return Double.doubleToLongBits(sum);
    }

    /** Memory kernel: follows {@code hops} links of {@code next} from {@code start}; returns where it ends. */
    static int memKernel(int[] next, int start, int hops) {
        int p = start;
        for (int i = 0; i < hops; i++) {
            p = next[p];
        }
        return p;
    }

    /**
     * {@code next[i] = (A·i + C) mod n} for a power-of-two {@code n}: with {@code C} odd and
     * {@code A ≡ 1 (mod 4)} this is one cycle through all {@code n} slots (Hull–Dobell), in an order no
     * prefetcher predicts, built in one sequential pass (a shuffle would cost more than the kernel).
     */
    static int[] permutation(int n) {
        if (Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("n must be a power of two: " + n);
        }
        int[] next = new int[n];
        int mask = n - 1;
        for (int i = 0; i < n; i++) {
            next[i] = (int) ((0x2C9277B5L * i + 0x3C6EF35FL) & mask);
        }
        return next;
    }

    /** A deterministic matrix with entries in [-1, 1). */
    static double[] matrix(long seed) {
        double[] m = new double[N * N];
        long x = 0x9E3779B97F4A7C15L * (seed + 1);
        for (int i = 0; i < m.length; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            m[i] = (x >>> 11) * 0x1.0p-53 * 2.0 - 1.0;
        }
        return m;
    }

    private static double round3(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    /**
     * The scores of one run.
     *
     * @param puPerCore PU of one core: the geometric mean of the kernel scores
     * @param cores     cores of the machine
     * @param puScore   PU of the machine ({@code puPerCore × cores})
     * @param kernels   each kernel's score, in PU
     * @param millis    what the run cost, wall-clock milliseconds
     */
    public record Result(double puPerCore, int cores, double puScore, Kernels kernels, long millis) {
        public Result {
            checkScore("puPerCore", puPerCore);
            checkScore("puScore", puScore);
            if (cores < 1) {
                throw new IllegalArgumentException("cores must be at least 1: " + cores);
            }
            Objects.requireNonNull(kernels, "kernels");
            if (millis < 0) {
                throw new IllegalArgumentException("millis must not be negative: " + millis);
            }
        }
    }

    /** Each kernel's score, in PU: reference time / this machine's best time. */
    public record Kernels(double integer, double floatingPoint, double memory) {
        public Kernels {
            checkScore("integer", integer);
            checkScore("floatingPoint", floatingPoint);
            checkScore("memory", memory);
        }
    }

    private static void checkScore(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be positive and finite: " + v);
        }
    }
}
