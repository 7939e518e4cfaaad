package io.ptorrent.plugin.bench;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The calibrated PU benchmark: how fast one core of this machine is, in PU (1.0 PU = one reference
 * core). Called by the plugin when a node starts (in a child JVM, {@link PuBenchmarkProcess}) and by
 * {@code bin/ptorrent node --benchmark}; its kernels are also what the harbor's {@link SpeedProbe} runs in
 * a contributor's sandbox. One call at a time per thread, no shared mutable state except a blackhole, so
 * it is thread-safe.
 *
 * <h2>Design note</h2>
 * Three kernels, each a fixed amount of work whose result is consumed so the JIT cannot drop it, and each
 * <b>one dependency chain</b>: every step needs the result of the step before, so the kernel's time is set
 * by the latency of its instructions, not by how many the core can issue per cycle.
 * <ul>
 *   <li><b>integer</b>: {@code h = rotl(h·K + C, 29)}, a bijection of 64-bit words (K odd), so the chain
 *       never settles and its end depends on its seed;</li>
 *   <li><b>floating point</b>: the logistic map {@code x = 3.9·x·(1 − x)}: chaotic on [0.095, 0.975] (from f(r/4) to r/4), so it
 *       never settles on a fixed point and never reaches a subnormal (Java's FP semantics are strict: the same
 *       value on every JVM);</li>
 *   <li><b>memory</b>: a pointer chase through a single-cycle permutation of a 32 MiB {@code int[]}
 *       (larger than any L2 cache; on a household machine larger than its L3 too), allocated once per run: a
 *       dependent load chain measures memory latency, which prefetchers and wide cores cannot hide.</li>
 * </ul>
 * Why chains (issue 9). The first integer and FP kernels had independent work per cycle (a two-chain hash, a
 * 16×16 matrix multiply), and on this project's 2-core KVM machine their speed flipped between two levels
 * from second to second, within one JVM too: the matrix multiply ran at 1× or about 2× its best time (the
 * bimodal FP kernel: 0.21–0.24 or 0.36–0.40 PU under C1), the hash at 1× or about 1.5×, the pointer chase
 * at most 1.2×. Compilation (the same C1 compiles in every run, {@code -XX:+PrintCompilation}) and the
 * arrays' addresses (the same in every run) did not differ between fast and slow runs; what differed was
 * how much each kernel needs the core's issue width: the signature of sharing the physical core with
 * another hardware thread (the host's SMT sibling, busy or not with another guest's work). A household's
 * core has the same neighbour: the owner's own work on the other hyperthread. Single chains use a small
 * part of the core's ports, so a busy neighbour slows them by about as much as it slows the pointer chase
 * (docs/BENCHMARKS.md has the figures). The price: PU measures a core's latency-bound speed, and does not
 * reward a wide core for the instruction-level parallelism that some work has.
 *
 * <p>Each kernel warms up (so the JIT has compiled it), then runs {@value #ROUNDS} timed rounds
 * interleaved with the other kernels; the best round counts, since it is the one least disturbed by
 * other load and so closest to the core's own speed. A kernel's score is its reference time divided by
 * its best time; the per-core PU is the reference time of one round of all three divided by this core's
 * time for it (the sum of the best rounds): what a piece of work made of the three in equal reference
 * parts would take, the same measure the harbor's probe takes from its clock. A machine twice as fast on
 * everything scores exactly twice.
 *
 * <p>Calibration: the {@code REFERENCE_*_NANOS} constants are this project's reference core (a 2-core
 * Intel Xeon KVM machine, OpenJDK 17 with C1 only, {@code -XX:TieredStopAtLevel=1}, the JIT that sandbox
 * workers and {@code bin/ptorrent} run with; docs/BENCHMARKS.md), so 1.0 PU = that core.
 */
public final class PuBenchmark {
    /**
     * Best-round time of each kernel on the reference core, in nanoseconds: each kernel's best over 6 fresh runs
     * of this benchmark in a child JVM with the node's flags ({@code PuBenchmarkProcess}) on 2026-12-01 at
     * 21:39 UTC, load average 4–7 (other builds; no idle window came before the landing). Provisional: redo on an
     * idle machine (docs/BENCHMARKS.md) and update {@code PuBenchmarkTest}'s pinned figures if the kernels change.
     */
    static final double REFERENCE_INT_NANOS = 22_000_000.0;
    static final double REFERENCE_FP_NANOS = 20_100_000.0;
    static final double REFERENCE_MEM_NANOS = 24_300_000.0;

    /** Work per round of each kernel: about 20 ms on the reference core. */
    static final int INT_STEPS = 7_000_000;
    static final int FP_STEPS = 5_000_000;
    static final int MEM_HOPS = 150_000;
    /** 32 MiB of {@code int}: a power of two, so the permutation below is one cycle over all of it. */
    static final int MEM_INTS = 1 << 23;

    private static final int WARMUP_ROUNDS = 2;
    private static final int ROUNDS = 9;
    private static final long INT_MULTIPLIER = 0xBF58476D1CE4E5B9L;
    private static final long INT_INCREMENT = 0x9E3779B97F4A7C15L;
    private static final double LOGISTIC_R = 3.9;

    private static volatile long blackhole;

    private PuBenchmark() {
    }

    /** Measures this machine with {@link System#nanoTime()}; takes about a second. */
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
        long h = 1;
        double x = 0.3;
        int p = 0;
        for (int i = 0; i < WARMUP_ROUNDS; i++) {
            h = intKernel(h, INT_STEPS);
            x = fpKernel(x, FP_STEPS);
            p = memKernel(next, p, MEM_HOPS);
        }
        long bestInt = Long.MAX_VALUE;
        long bestFp = Long.MAX_VALUE;
        long bestMem = Long.MAX_VALUE;
        // Interleaved, so that a burst of other load spoils one round of each kernel, not all of one.
        for (int i = 0; i < ROUNDS; i++) {
            long t0 = nanoClock.getAsLong();
            h = intKernel(h, INT_STEPS);
            long t1 = nanoClock.getAsLong();
            x = fpKernel(x, FP_STEPS);
            long t2 = nanoClock.getAsLong();
            p = memKernel(next, p, MEM_HOPS);
            long t3 = nanoClock.getAsLong();
            bestInt = Math.min(bestInt, t1 - t0);
            bestFp = Math.min(bestFp, t2 - t1);
            bestMem = Math.min(bestMem, t3 - t2);
        }
        blackhole ^= h ^ Double.doubleToLongBits(x) ^ p;
        Kernels k = new Kernels(score(REFERENCE_INT_NANOS, bestInt), score(REFERENCE_FP_NANOS, bestFp), score(REFERENCE_MEM_NANOS, bestMem));
        double puPerCore = round3(referenceRoundNanos() / ((double) Math.max(1, bestInt) + Math.max(1, bestFp) + Math.max(1, bestMem)));
        // Single-threaded on purpose: a node's score is per-core speed times its cores. Running on every
        // core at once would take the whole machine from its owner while a node starts, and would measure
        // whatever else runs at that moment rather than the core; the scheduler sizes fragments per core.
        int cores = Runtime.getRuntime().availableProcessors();
        long millis = Math.max(0, (nanoClock.getAsLong() - start) / 1_000_000);
        return new Result(puPerCore, cores, round3(puPerCore * cores), k, millis);
    }

    /** What one round of the three kernels takes the reference core, nanoseconds: the unit of benchmark work. */
    static double referenceRoundNanos() {
        return REFERENCE_INT_NANOS + REFERENCE_FP_NANOS + REFERENCE_MEM_NANOS;
    }

    private static double score(double referenceNanos, long bestNanos) {
        return round3(referenceNanos / Math.max(1, bestNanos));
    }

    /** Integer kernel: {@code steps} links of the chain {@code h = rotl(h·K + C, 29)} from {@code h}. */
    static long intKernel(long h, int steps) {
        for (int i = 0; i < steps; i++) {
            h = Long.rotateLeft(h * INT_MULTIPLIER + INT_INCREMENT, 29);
        }
        return h;
    }

    /**
     * Floating-point kernel: {@code steps} steps of the logistic map {@code x = 3.9·x·(1 − x)} from {@code x},
     * which must lie in (0, 1); the result lies in [0.095, 0.975] once the chain has entered that interval (from any start in (0, 1) it soon does, and never leaves).
     */
    static double fpKernel(double x, int steps) {
        for (int i = 0; i < steps; i++) {
            x = LOGISTIC_R * x * (1.0 - x);
        }
        return x;
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
            next[i] = nextSlot(i, mask);
        }
        return next;
    }

    /** The permutation's link from slot {@code i}, computed rather than loaded (the harbor checks a probe so). */
    static int nextSlot(int i, int mask) {
        return (int) ((0x2C9277B5L * i + 0x3C6EF35FL) & mask);
    }

    private static double round3(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    /**
     * The scores of one run.
     *
     * @param puPerCore PU of one core: the reference time of one round of the kernels over this core's best
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
