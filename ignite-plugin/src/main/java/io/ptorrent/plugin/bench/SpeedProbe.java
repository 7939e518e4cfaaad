package io.ptorrent.plugin.bench;

import io.ptorrent.client.SerializableCallable;

import java.util.random.RandomGenerator;

/**
 * The fragment by which a harbor measures a contributor's speed itself: the {@link PuBenchmark}'s three
 * kernels, run in the contributor's sandbox worker like any submitter's closure, and timed by the harbor's
 * clock from dispatch to result. Built and checked on the harbor; run on a contributor.
 *
 * <h2>Design note</h2>
 * <b>Known work.</b> A probe is {@code rounds} rounds of one integer, one floating-point and one memory
 * kernel run, each the size of one benchmark round, so its work is {@link #referenceSeconds()} of the
 * reference core and the node's PU per core is that divided by the harbor's time. Everything else the time
 * holds (the network, the node's queue, starting a sandbox worker, the JIT) can only make the node look
 * slower than it is.
 *
 * <p><b>Not faster either.</b> The kernels are one dependency chain from the harbor's random {@code seed}
 * through all rounds (each kernel starts from the one before), so the answer cannot be known before the
 * work is done, nor the work split over several cores. The answer is each round's end value; the harbor
 * recomputes {@code checks} random rounds from the value before them ({@link #verify}), about 40 ms of its
 * CPU each, so an answer with made-up rounds fails with the odds of hitting one. The harbor walks the
 * memory kernel's permutation by its formula instead of a 32 MiB array; a node can do that too, which
 * would make its memory kernel look faster than its memory (docs/SECURITY.md lists it as open).
 *
 * @param seed   where the chain starts: random per probe
 * @param rounds rounds of the three kernels, 1..{@value #MAX_ROUNDS}
 */
public record SpeedProbe(long seed, int rounds) implements SerializableCallable<long[]> {
    private static final long serialVersionUID = 1L;
    /** About 10 minutes of the reference core: more is not a probe. */
    public static final int MAX_ROUNDS = 10_000;

    public SpeedProbe {
        if (rounds < 1 || rounds > MAX_ROUNDS) {
            throw new IllegalArgumentException("rounds must be 1.." + MAX_ROUNDS + ": " + rounds);
        }
    }

    /** A probe of about {@code referenceSeconds} of the reference core's work (at least one round). */
    public static SpeedProbe sized(double referenceSeconds, long seed) {
        long rounds = (long) Math.ceil(referenceSeconds * 1e9 / PuBenchmark.referenceRoundNanos());
        return new SpeedProbe(seed, (int) Math.max(1, Math.min(MAX_ROUNDS, rounds)));
    }

    /** The probe's work: what it takes the reference core, seconds. */
    public double referenceSeconds() {
        return rounds * PuBenchmark.referenceRoundNanos() / 1e9;
    }

    /** Runs the probe (on the contributor, in its sandbox): each round's end value. */
    @Override
    public long[] call() {
        int[] next = PuBenchmark.permutation(PuBenchmark.MEM_INTS);
        long[] ends = new long[rounds];
        long v = seed;
        for (int r = 0; r < rounds; r++) {
            long h = PuBenchmark.intKernel(v, PuBenchmark.INT_STEPS);
            double x = PuBenchmark.fpKernel(unit(h), PuBenchmark.FP_STEPS);
            int p = PuBenchmark.memKernel(next, slot(x), PuBenchmark.MEM_HOPS);
            v = ends[r] = mix(h, x, p);
        }
        return ends;
    }

    /**
     * Whether {@code answer} is this probe's: the right length, and {@code checks} rounds picked by
     * {@code random} recomputed to the same value. Runs on the harbor; costs about 40 ms per check.
     */
    public boolean verify(Object answer, RandomGenerator random, int checks) {
        if (!(answer instanceof long[] ends) || ends.length != rounds) {
            return false;
        }
        for (int i = 0; i < checks; i++) {
            int r = random.nextInt(rounds);
            if (roundByFormula(r == 0 ? seed : ends[r - 1]) != ends[r]) {
                return false;
            }
        }
        return true;
    }

    /** One round with the memory kernel's links computed instead of loaded: the same value as {@link #call}'s. */
    static long roundByFormula(long v) {
        long h = PuBenchmark.intKernel(v, PuBenchmark.INT_STEPS);
        double x = PuBenchmark.fpKernel(unit(h), PuBenchmark.FP_STEPS);
        int mask = PuBenchmark.MEM_INTS - 1;
        int p = slot(x);
        for (int i = 0; i < PuBenchmark.MEM_HOPS; i++) {
            p = PuBenchmark.nextSlot(p, mask);
        }
        return mix(h, x, p);
    }

    /** A start for the logistic map in [0.1, 0.9), from the integer chain's value. */
    private static double unit(long h) {
        return 0.1 + 0.8 * ((h >>> 11) * 0x1.0p-53);
    }

    private static int slot(double x) {
        return (int) (Double.doubleToRawLongBits(x) & (PuBenchmark.MEM_INTS - 1));
    }

    private static long mix(long h, double x, int p) {
        return (h ^ Double.doubleToRawLongBits(x) * 0x9E3779B97F4A7C15L) + p;
    }
}
